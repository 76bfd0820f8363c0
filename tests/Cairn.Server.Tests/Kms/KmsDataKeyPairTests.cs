using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.Kms;

/// <summary>GenerateDataKeyPair(WithoutPlaintext): key pairs checked outside KMS with .NET's own RSA and ECDsa.</summary>
public sealed class KmsDataKeyPairTests : IDisposable
{
    private readonly KmsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private async Task<string> KeyIdAsync() => (await _host.CreateKeyAsync())["KeyId"]!.GetValue<string>();

    private static byte[] Bytes(JsonNode? node) => Convert.FromBase64String(node!.GetValue<string>());

    /// <summary>The public key the private key (PKCS#8) makes, and the key's size or curve.</summary>
    private static (byte[] PublicKey, string Kind) Describe(byte[] pkcs8)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return (rsa.ExportSubjectPublicKeyInfo(), "RSA_" + rsa.KeySize);
        }
        catch (CryptographicException)
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
            return (ecdsa.ExportSubjectPublicKeyInfo(), ecdsa.ExportParameters(false).Curve.Oid.Value!);
        }
    }

    [Theory]
    [InlineData("RSA_2048", "RSA_2048")]
    [InlineData("RSA_3072", "RSA_3072")]
    [InlineData("RSA_4096", "RSA_4096")]
    [InlineData("ECC_NIST_P256", "1.2.840.10045.3.1.7")]
    [InlineData("ECC_NIST_P384", "1.3.132.0.34")]
    [InlineData("ECC_NIST_P521", "1.3.132.0.35")]
    [InlineData("ECC_SECG_P256K1", "1.3.132.0.10")]
    public async Task Generate_data_key_pair_returns_a_pair_whose_encrypted_private_key_decrypts_to_the_plaintext_one(string spec, string kind)
    {
        var keyId = await KeyIdAsync();

        var pair = await _host.InvokeAsync("GenerateDataKeyPair", new JsonObject { ["KeyId"] = keyId, ["KeyPairSpec"] = spec });

        var privateKey = Bytes(pair["PrivateKeyPlaintext"]);
        var (publicKey, actualKind) = Describe(privateKey);
        Assert.Equal(kind, actualKind);
        Assert.Equal(publicKey, Bytes(pair["PublicKey"]));
        Assert.Equal(spec, pair["KeyPairSpec"]!.GetValue<string>());
        Assert.Equal($"arn:aws:kms:us-east-1:{KmsTestHost.Account}:key/{keyId}", pair["KeyId"]!.GetValue<string>());
        var decrypted = await _host.InvokeAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = pair["PrivateKeyCiphertextBlob"]!.DeepClone() });
        Assert.Equal(privateKey, Bytes(decrypted["Plaintext"]));
        Assert.Contains(("kms:GenerateDataKeyPair", pair["KeyId"]!.GetValue<string>()), _host.Authorizer.Calls);
    }

    [Fact]
    public async Task Without_plaintext_only_the_encrypted_private_key_comes_back_and_it_needs_the_same_encryption_context()
    {
        var keyId = await KeyIdAsync();
        var context = new JsonObject { ["purpose"] = "signing" };

        var pair = await _host.InvokeAsync("GenerateDataKeyPairWithoutPlaintext",
            new JsonObject { ["KeyId"] = keyId, ["KeyPairSpec"] = "ECC_NIST_P256", ["EncryptionContext"] = context.DeepClone() });

        Assert.Null(pair["PrivateKeyPlaintext"]);
        Assert.NotNull(pair["KeyMaterialId"]);
        var wrong = await _host.FailAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = pair["PrivateKeyCiphertextBlob"]!.DeepClone() });
        Assert.Equal("InvalidCiphertextException", wrong.Code);
        var decrypted = await _host.InvokeAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = pair["PrivateKeyCiphertextBlob"]!.DeepClone(), ["EncryptionContext"] = context.DeepClone() });
        Assert.Equal(Bytes(pair["PublicKey"]), Describe(Bytes(decrypted["Plaintext"])).PublicKey);
        Assert.Contains(("kms:GenerateDataKeyPairWithoutPlaintext", pair["KeyId"]!.GetValue<string>()), _host.Authorizer.Calls);
    }

    [Fact]
    public async Task SM2_is_refused_with_AWS_text_and_what_Cairn_generates()
    {
        var error = await _host.FailAsync("GenerateDataKeyPair", new JsonObject { ["KeyId"] = await KeyIdAsync(), ["KeyPairSpec"] = "SM2" });

        Assert.Equal("UnsupportedOperationException", error.Code);
        Assert.StartsWith("KeyPairSpec SM2 is not supported in this Region.", error.Message, StringComparison.Ordinal);
        Assert.Contains("RSA_2048/3072/4096", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RSA_1024", "ValidationException")]
    [InlineData("ECC_NIST_EDWARDS25519", "UnsupportedOperationException")]
    public async Task Key_pair_specs_outside_the_model_or_Cairn_are_refused(string spec, string code)
    {
        var error = await _host.FailAsync("GenerateDataKeyPair", new JsonObject { ["KeyId"] = await KeyIdAsync(), ["KeyPairSpec"] = spec });

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public async Task An_asymmetric_key_a_disabled_key_and_the_AWS_managed_key_cannot_encrypt_a_pair()
    {
        var signing = (await _host.InvokeAsync("CreateKey", new JsonObject { ["KeySpec"] = "ECC_NIST_P256", ["KeyUsage"] = "SIGN_VERIFY" }))["KeyMetadata"]!["KeyId"]!.GetValue<string>();
        var usage = await _host.FailAsync("GenerateDataKeyPair", new JsonObject { ["KeyId"] = signing, ["KeyPairSpec"] = "RSA_2048" });
        Assert.Equal("InvalidKeyUsageException", usage.Code);

        var disabled = await KeyIdAsync();
        await _host.InvokeAsync("DisableKey", new JsonObject { ["KeyId"] = disabled });
        Assert.Equal("DisabledException", (await _host.FailAsync("GenerateDataKeyPair", new JsonObject { ["KeyId"] = disabled, ["KeyPairSpec"] = "RSA_2048" })).Code);

        var managed = await _host.FailAsync("GenerateDataKeyPairWithoutPlaintext", new JsonObject { ["KeyId"] = "alias/aws/ssm", ["KeyPairSpec"] = "RSA_2048" });
        Assert.Equal("AccessDeniedException", managed.Code);
    }

    [Fact]
    public async Task Dry_run_checks_everything_and_generates_nothing()
    {
        var error = await _host.FailAsync("GenerateDataKeyPair", new JsonObject { ["KeyId"] = await KeyIdAsync(), ["KeyPairSpec"] = "RSA_2048", ["DryRun"] = true });

        Assert.Equal("DryRunOperationException", error.Code);
    }
}
