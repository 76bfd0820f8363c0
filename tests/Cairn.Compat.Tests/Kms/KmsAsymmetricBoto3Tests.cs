using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Kms;

/// <summary>Asymmetric and HMAC keys driven by boto3.</summary>
public sealed class KmsAsymmetricBoto3Tests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task Sign_verify_get_public_key_and_macs_round_trip()
    {
        var result = (await cairn.Boto3("""
            import hashlib
            key = kms.create_key(KeySpec="RSA_3072", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
            digest = hashlib.sha384(b"artifact").digest()
            sig = kms.sign(KeyId=key["KeyId"], Message=digest, MessageType="DIGEST", SigningAlgorithm="RSASSA_PSS_SHA_384")
            ok = kms.verify(KeyId=key["KeyId"], Message=b"artifact", MessageType="RAW", Signature=sig["Signature"], SigningAlgorithm="RSASSA_PSS_SHA_384")
            bad = error_code(kms.verify, KeyId=key["KeyId"], Message=b"other", Signature=sig["Signature"], SigningAlgorithm="RSASSA_PSS_SHA_384")
            short = error_code(kms.sign, KeyId=key["KeyId"], Message=b"x" * 20, MessageType="DIGEST", SigningAlgorithm="RSASSA_PSS_SHA_384")
            public = kms.get_public_key(KeyId=key["KeyId"])
            mac_key = kms.create_key(KeySpec="HMAC_224", KeyUsage="GENERATE_VERIFY_MAC")["KeyMetadata"]
            mac = kms.generate_mac(KeyId=mac_key["KeyId"], Message=b"m", MacAlgorithm="HMAC_SHA_224")["Mac"]
            mac_ok = kms.verify_mac(KeyId=mac_key["KeyId"], Message=b"m", MacAlgorithm="HMAC_SHA_224", Mac=mac)["MacValid"]
            mac_bad = error_code(kms.verify_mac, KeyId=mac_key["KeyId"], Message=b"n", MacAlgorithm="HMAC_SHA_224", Mac=mac)
            print(json.dumps({
                "algorithms": key["SigningAlgorithms"], "valid": ok["SignatureValid"], "bad": bad, "short": short,
                "spec": public["KeySpec"], "der": public["PublicKey"][:2].hex(), "macLength": len(mac), "macOk": mac_ok, "macBad": mac_bad,
                "macAlgorithms": mac_key["MacAlgorithms"],
            }))
            """)).Ok();

        Assert.Contains("RSASSA_PSS_SHA_384", result["algorithms"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.True(result["valid"]!.GetValue<bool>());
        Assert.StartsWith("KMSInvalidSignatureException", result["bad"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("ValidationException: Digest is invalid length for algorithm RSASSA_PSS_SHA_384.", result["short"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("RSA_3072", result["spec"]!.GetValue<string>());
        Assert.Equal("3082", result["der"]!.GetValue<string>());
        Assert.Equal(28, result["macLength"]!.GetValue<int>());
        Assert.True(result["macOk"]!.GetValue<bool>());
        Assert.StartsWith("KMSInvalidMacException", result["macBad"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("HMAC_SHA_224", result["macAlgorithms"]![0]!.GetValue<string>());
    }
}
