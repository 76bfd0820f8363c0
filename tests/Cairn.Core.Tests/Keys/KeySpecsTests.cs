using Cairn.Core.Keys;

namespace Cairn.Core.Tests.Keys;

public sealed class KeySpecsTests
{
    [Theory]
    [InlineData("RSA_2048", "RSAES_OAEP_SHA_1", 214)]
    [InlineData("RSA_2048", "RSAES_OAEP_SHA_256", 190)]
    [InlineData("RSA_3072", "RSAES_OAEP_SHA_1", 342)]
    [InlineData("RSA_3072", "RSAES_OAEP_SHA_256", 318)]
    [InlineData("RSA_4096", "RSAES_OAEP_SHA_1", 470)]
    [InlineData("RSA_4096", "RSAES_OAEP_SHA_256", 446)]
    public void Rsa_plaintext_limits_are_AWS_s(string keySpec, string algorithm, int max) =>
        Assert.Equal(max, KeySpecs.MaxRsaPlaintext(keySpec, algorithm));

    [Theory]
    [InlineData("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT")]
    [InlineData("RSA_2048", "ENCRYPT_DECRYPT,SIGN_VERIFY")]
    [InlineData("ECC_NIST_P384", "SIGN_VERIFY")]
    [InlineData("ECC_SECG_P256K1", "SIGN_VERIFY")]
    [InlineData("HMAC_224", "GENERATE_VERIFY_MAC")]
    [InlineData("ML_DSA_44", "")]
    [InlineData("SM2", "")]
    public void Each_key_spec_takes_its_key_usages(string keySpec, string usages) =>
        Assert.Equal(usages, string.Join(',', KeySpecs.UsagesOf(keySpec)));

    [Theory]
    [InlineData("ECC_NIST_P256", "ECDSA_SHA_256")]
    [InlineData("ECC_SECG_P256K1", "ECDSA_SHA_256")]
    [InlineData("ECC_NIST_P384", "ECDSA_SHA_384")]
    [InlineData("ECC_NIST_P521", "ECDSA_SHA_512")]
    [InlineData("RSA_3072", "RSASSA_PSS_SHA_256,RSASSA_PSS_SHA_384,RSASSA_PSS_SHA_512,RSASSA_PKCS1_V1_5_SHA_256,RSASSA_PKCS1_V1_5_SHA_384,RSASSA_PKCS1_V1_5_SHA_512")]
    public void Signing_keys_list_AWS_s_algorithms(string keySpec, string algorithms)
    {
        Assert.Equal(algorithms, string.Join(',', KeySpecs.SigningAlgorithms(keySpec, KeySpecs.SignVerify)));
        Assert.Empty(KeySpecs.EncryptionAlgorithms(keySpec, KeySpecs.SignVerify));
    }

    [Fact]
    public void Algorithms_follow_the_key_usage()
    {
        Assert.Equal(["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256"], KeySpecs.EncryptionAlgorithms("RSA_4096", KeySpecs.EncryptDecrypt));
        Assert.Empty(KeySpecs.SigningAlgorithms("RSA_4096", KeySpecs.EncryptDecrypt));
        Assert.Equal(["SYMMETRIC_DEFAULT"], KeySpecs.EncryptionAlgorithms("SYMMETRIC_DEFAULT", KeySpecs.EncryptDecrypt));
        Assert.Equal(["HMAC_SHA_384"], KeySpecs.MacAlgorithms("HMAC_384"));
        Assert.Empty(KeySpecs.MacAlgorithms("SYMMETRIC_DEFAULT"));
    }

    [Theory]
    [InlineData("ECC_NIST_P256", "1.2.840.10045.3.1.7")]
    [InlineData("ECC_SECG_P256K1", "1.3.132.0.10")]
    public void Key_pairs_generate_on_their_curve(string keySpec, string curveOid)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportPkcs8PrivateKey(KeyPairs.Generate(keySpec), out _);

        Assert.Equal(curveOid, key.ExportParameters(false).Curve.Oid.Value);
    }
}
