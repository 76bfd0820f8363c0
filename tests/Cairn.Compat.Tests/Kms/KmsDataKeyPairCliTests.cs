using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Kms;

/// <summary>Data key pairs through the real aws CLI, with openssl deriving the public key from the private key KMS decrypts.</summary>
public sealed class KmsDataKeyPairCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("cairn-kms-pairs-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static Task<ProcessResult> OpenSsl(params string[] arguments) => ClientProcess.RunAsync("openssl", arguments, new Dictionary<string, string>());

    [Theory]
    [InlineData("generate-data-key-pair", "RSA_2048")]
    [InlineData("generate-data-key-pair-without-plaintext", "ECC_NIST_P256")]
    [InlineData("generate-data-key-pair-without-plaintext", "ECC_SECG_P256K1")]
    [InlineData("generate-data-key-pair", "ECC_NIST_P384")]
    public async Task The_private_key_decrypt_returns_makes_the_public_key_the_pair_came_with(string command, string spec)
    {
        var keyId = (await cairn.Aws("kms", "create-key", "--description", "data key pairs")).Ok()["KeyMetadata"]!["KeyId"]!.GetValue<string>();

        var pair = (await cairn.Aws("kms", command, "--key-id", keyId, "--key-pair-spec", spec, "--encryption-context", "app=signer")).Ok();
        Assert.Equal(spec, pair["KeyPairSpec"]!.GetValue<string>());
        var blobFile = Path.Combine(_work, spec + ".blob");
        await File.WriteAllBytesAsync(blobFile, Convert.FromBase64String(pair["PrivateKeyCiphertextBlob"]!.GetValue<string>()));

        var decrypted = (await cairn.Aws("kms", "decrypt", "--ciphertext-blob", "fileb://" + blobFile, "--encryption-context", "app=signer")).Ok();
        var privateKey = Convert.FromBase64String(decrypted["Plaintext"]!.GetValue<string>());
        if (pair["PrivateKeyPlaintext"] is { } plaintext)
        {
            Assert.Equal(Convert.FromBase64String(plaintext.GetValue<string>()), privateKey);
        }
        else
        {
            Assert.Equal("generate-data-key-pair-without-plaintext", command);
        }

        var privateFile = Path.Combine(_work, spec + ".pk8");
        var publicFile = Path.Combine(_work, spec + ".pub");
        await File.WriteAllBytesAsync(privateFile, privateKey);
        (await OpenSsl("pkey", "-inform", "DER", "-in", privateFile, "-pubout", "-outform", "DER", "-out", publicFile)).Ok();
        Assert.Equal(Convert.FromBase64String(pair["PublicKey"]!.GetValue<string>()), await File.ReadAllBytesAsync(publicFile));
    }

    [Fact]
    public async Task SM2_is_refused_with_AWS_text()
    {
        var keyId = (await cairn.Aws("kms", "create-key")).Ok()["KeyMetadata"]!["KeyId"]!.GetValue<string>();

        var stderr = (await cairn.Aws("kms", "generate-data-key-pair", "--key-id", keyId, "--key-pair-spec", "SM2")).Fails("UnsupportedOperationException");

        Assert.Contains("KeyPairSpec SM2 is not supported in this Region.", stderr, StringComparison.Ordinal);
    }
}
