using System.Text;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Kms;

/// <summary>Asymmetric and HMAC keys through the real aws CLI, with openssl checking Cairn's signatures and encrypting for it.</summary>
public sealed class KmsAsymmetricCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("cairn-kms-openssl-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private async Task<string> CreateKeyAsync(string keySpec, string keyUsage) =>
        (await cairn.Aws("kms", "create-key", "--key-spec", keySpec, "--key-usage", keyUsage)).Ok()["KeyMetadata"]!["KeyId"]!.GetValue<string>();

    private async Task<string> PublicKeyFileAsync(string keyId)
    {
        var path = Path.Combine(_work, keyId + ".der");
        var publicKey = (await cairn.Aws("kms", "get-public-key", "--key-id", keyId)).Ok()["PublicKey"]!.GetValue<string>();
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(publicKey));
        return path;
    }

    private static Task<ProcessResult> OpenSsl(params string[] arguments) => ClientProcess.RunAsync("openssl", arguments, new Dictionary<string, string>());

    [Theory]
    [InlineData("ECC_NIST_P256", "ECDSA_SHA_256", new string[0])]
    [InlineData("ECC_SECG_P256K1", "ECDSA_SHA_256", new string[0])]
    [InlineData("RSA_2048", "RSASSA_PKCS1_V1_5_SHA_256", new string[0])]
    [InlineData("RSA_2048", "RSASSA_PSS_SHA_256", new[] { "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest" })]
    public async Task A_signature_made_by_cairn_verifies_with_openssl_against_the_public_key(string keySpec, string algorithm, string[] options)
    {
        var keyId = await CreateKeyAsync(keySpec, "SIGN_VERIFY");
        var message = Encoding.UTF8.GetBytes("image sha256:" + Guid.NewGuid().ToString("N"));
        var messageFile = Path.Combine(_work, "message.bin");
        var signatureFile = Path.Combine(_work, "signature.bin");
        await File.WriteAllBytesAsync(messageFile, message);

        var signed = (await cairn.Aws("kms", "sign", "--key-id", keyId, "--message", "fileb://" + messageFile, "--message-type", "RAW", "--signing-algorithm", algorithm)).Ok();
        await File.WriteAllBytesAsync(signatureFile, Convert.FromBase64String(signed["Signature"]!.GetValue<string>()));
        var publicKey = await PublicKeyFileAsync(keyId);

        var verified = await OpenSsl(["dgst", "-sha256", "-verify", publicKey, "-keyform", "DER", .. options, "-signature", signatureFile, messageFile]);
        Assert.True(verified.ExitCode == 0, verified.Stdout + verified.Stderr);
        Assert.Contains("Verified OK", verified.Stdout, StringComparison.Ordinal);
        var kms = (await cairn.Aws("kms", "verify", "--key-id", keyId, "--message", "fileb://" + messageFile, "--signature", "fileb://" + signatureFile, "--signing-algorithm", algorithm)).Ok();
        Assert.True(kms["SignatureValid"]!.GetValue<bool>());
        await File.WriteAllTextAsync(messageFile, "another message");
        (await cairn.Aws("kms", "verify", "--key-id", keyId, "--message", "fileb://" + messageFile, "--signature", "fileb://" + signatureFile, "--signing-algorithm", algorithm))
            .Fails("KMSInvalidSignatureException");
    }

    [Theory]
    [InlineData("RSAES_OAEP_SHA_256", "sha256")]
    [InlineData("RSAES_OAEP_SHA_1", "sha1")]
    public async Task Data_openssl_encrypts_with_the_public_key_is_decrypted_by_cairn(string algorithm, string hash)
    {
        var keyId = await CreateKeyAsync("RSA_2048", "ENCRYPT_DECRYPT");
        var publicKey = await PublicKeyFileAsync(keyId);
        var secret = "registry-token-" + Guid.NewGuid().ToString("N");
        var plainFile = Path.Combine(_work, "plain.txt");
        var cipherFile = Path.Combine(_work, "cipher.bin");
        await File.WriteAllTextAsync(plainFile, secret);

        (await OpenSsl("pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", publicKey, "-in", plainFile, "-out", cipherFile,
            "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:" + hash, "-pkeyopt", "rsa_mgf1_md:" + hash)).Ok();

        var decrypted = (await cairn.Aws("kms", "decrypt", "--key-id", keyId, "--ciphertext-blob", "fileb://" + cipherFile, "--encryption-algorithm", algorithm)).Ok();
        Assert.Equal(secret, Encoding.UTF8.GetString(Convert.FromBase64String(decrypted["Plaintext"]!.GetValue<string>())));
        Assert.Equal(algorithm, decrypted["EncryptionAlgorithm"]!.GetValue<string>());
    }

    [Fact]
    public async Task Describe_key_and_create_key_speak_the_cli_s_shapes()
    {
        var keyId = await CreateKeyAsync("ECC_NIST_P384", "SIGN_VERIFY");

        var metadata = (await cairn.Aws("kms", "describe-key", "--key-id", keyId)).Ok()["KeyMetadata"]!;

        Assert.Equal("ECC_NIST_P384", metadata["KeySpec"]!.GetValue<string>());
        Assert.Equal("ECDSA_SHA_384", metadata["SigningAlgorithms"]![0]!.GetValue<string>());
        (await cairn.Aws("kms", "create-key", "--key-spec", "ECC_NIST_P256", "--key-usage", "ENCRYPT_DECRYPT")).Fails("ValidationException");
        (await cairn.Aws("kms", "enable-key-rotation", "--key-id", keyId)).Fails("UnsupportedOperationException");
    }

    [Fact]
    public async Task Generate_mac_then_verify_mac_through_the_cli()
    {
        var keyId = await CreateKeyAsync("HMAC_384", "GENERATE_VERIFY_MAC");
        var message = Convert.ToBase64String(Encoding.UTF8.GetBytes("webhook body"));

        var generated = (await cairn.Aws("kms", "generate-mac", "--key-id", keyId, "--message", message, "--mac-algorithm", "HMAC_SHA_384")).Ok();
        var mac = generated["Mac"]!.GetValue<string>();
        var verified = (await cairn.Aws("kms", "verify-mac", "--key-id", keyId, "--message", message, "--mac-algorithm", "HMAC_SHA_384", "--mac", mac)).Ok();

        Assert.Equal(48, Convert.FromBase64String(mac).Length);
        Assert.True(verified["MacValid"]!.GetValue<bool>());
        var other = Convert.ToBase64String(Encoding.UTF8.GetBytes("webhook body, changed"));
        (await cairn.Aws("kms", "verify-mac", "--key-id", keyId, "--message", other, "--mac-algorithm", "HMAC_SHA_384", "--mac", mac)).Fails("KMSInvalidMacException");
        (await cairn.Aws("kms", "generate-mac", "--key-id", keyId, "--message", message, "--mac-algorithm", "HMAC_SHA_256")).Fails("InvalidKeyUsageException");
    }
}
