using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Core.Keys;

namespace Cairn.Server.Tests.Kms;

/// <summary>RSA and ECC keys: CreateKey's rules, DescribeKey, GetPublicKey, Sign, Verify, RSA Encrypt/Decrypt, and what they refuse.</summary>
public sealed class KmsAsymmetricTests : IDisposable
{
    private static readonly string Message = Convert.ToBase64String(Encoding.UTF8.GetBytes("release v1.2.3 sha256:abcdef"));

    private readonly KmsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private async Task<JsonObject> CreateAsync(string keySpec, string keyUsage) =>
        (JsonObject)(await _host.InvokeAsync("CreateKey", new JsonObject { ["KeySpec"] = keySpec, ["KeyUsage"] = keyUsage }))["KeyMetadata"]!;

    private async Task<string> KeyIdAsync(string keySpec, string keyUsage) => (await CreateAsync(keySpec, keyUsage))["KeyId"]!.GetValue<string>();

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Theory]
    [InlineData("RSA_2048", "SIGN_VERIFY", "SigningAlgorithms", "RSASSA_PSS_SHA_256")]
    [InlineData("RSA_3072", "ENCRYPT_DECRYPT", "EncryptionAlgorithms", "RSAES_OAEP_SHA_1")]
    [InlineData("ECC_NIST_P384", "SIGN_VERIFY", "SigningAlgorithms", "ECDSA_SHA_384")]
    [InlineData("ECC_SECG_P256K1", "SIGN_VERIFY", "SigningAlgorithms", "ECDSA_SHA_256")]
    public async Task Describe_key_shows_the_spec_usage_and_only_its_algorithms(string keySpec, string keyUsage, string listed, string algorithm)
    {
        var keyId = await KeyIdAsync(keySpec, keyUsage);

        var metadata = (await _host.InvokeAsync("DescribeKey", new JsonObject { ["KeyId"] = keyId }))["KeyMetadata"]!;

        Assert.Equal(keySpec, metadata["KeySpec"]!.GetValue<string>());
        Assert.Equal(keySpec, metadata["CustomerMasterKeySpec"]!.GetValue<string>());
        Assert.Equal(keyUsage, metadata["KeyUsage"]!.GetValue<string>());
        Assert.Contains(algorithm, Strings(metadata[listed]));
        foreach (var other in new[] { "SigningAlgorithms", "EncryptionAlgorithms", "MacAlgorithms" }.Where(m => m != listed))
        {
            Assert.Null(metadata[other]);
        }

        Assert.Null(metadata["CurrentKeyMaterialId"]);
    }

    [Theory]
    [InlineData("ECC_NIST_P256", "ENCRYPT_DECRYPT", "KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_NIST_P256")]
    [InlineData("SYMMETRIC_DEFAULT", "SIGN_VERIFY", "KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT")]
    [InlineData("RSA_2048", "GENERATE_VERIFY_MAC", "KeyUsage GENERATE_VERIFY_MAC is not compatible with KeySpec RSA_2048")]
    [InlineData("RSA_2048", null, "You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.")]
    public async Task Create_key_with_a_usage_its_spec_does_not_take_is_ValidationException(string keySpec, string? keyUsage, string text)
    {
        var input = new JsonObject { ["KeySpec"] = keySpec };
        if (keyUsage is not null)
        {
            input["KeyUsage"] = keyUsage;
        }

        var error = await _host.FailAsync("CreateKey", input);

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_agreement_keys_are_UnsupportedOperation()
    {
        var error = await _host.FailAsync("CreateKey", new JsonObject { ["KeySpec"] = "ECC_NIST_P256", ["KeyUsage"] = "KEY_AGREEMENT" });

        Assert.Equal("UnsupportedOperationException", error.Code);
    }

    [Theory]
    [InlineData("RSA_2048", "RSASSA_PSS_SHA_256")]
    [InlineData("RSA_2048", "RSASSA_PSS_SHA_512")]
    [InlineData("RSA_2048", "RSASSA_PKCS1_V1_5_SHA_256")]
    [InlineData("RSA_2048", "RSASSA_PKCS1_V1_5_SHA_384")]
    [InlineData("ECC_NIST_P256", "ECDSA_SHA_256")]
    [InlineData("ECC_NIST_P521", "ECDSA_SHA_512")]
    [InlineData("ECC_SECG_P256K1", "ECDSA_SHA_256")]
    public async Task A_signature_verifies_in_kms_and_with_the_public_key_outside_it(string keySpec, string algorithm)
    {
        var keyId = await KeyIdAsync(keySpec, "SIGN_VERIFY");

        var signed = await _host.InvokeAsync("Sign", new JsonObject { ["KeyId"] = keyId, ["Message"] = Message, ["SigningAlgorithm"] = algorithm });
        var signature = signed["Signature"]!.GetValue<string>();
        var verified = await _host.InvokeAsync("Verify", new JsonObject { ["KeyId"] = keyId, ["Message"] = Message, ["SigningAlgorithm"] = algorithm, ["Signature"] = signature });
        var publicKey = await _host.InvokeAsync("GetPublicKey", new JsonObject { ["KeyId"] = keyId });

        Assert.Equal(algorithm, signed["SigningAlgorithm"]!.GetValue<string>());
        Assert.True(verified["SignatureValid"]!.GetValue<bool>());
        Assert.Equal(signed["KeyId"]!.GetValue<string>(), verified["KeyId"]!.GetValue<string>());
        Assert.Equal(keySpec, publicKey["KeySpec"]!.GetValue<string>());
        Assert.Contains(algorithm, Strings(publicKey["SigningAlgorithms"]));
        Assert.Null(publicKey["EncryptionAlgorithms"]);
        var der = Convert.FromBase64String(publicKey["PublicKey"]!.GetValue<string>());
        var data = Convert.FromBase64String(Message);
        var bytes = Convert.FromBase64String(signature);
        var hash = KeySpecs.SigningHash(algorithm);
        if (keySpec.StartsWith("RSA", StringComparison.Ordinal))
        {
            using var rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(der, out _);
            Assert.True(rsa.VerifyData(data, bytes, hash, algorithm.Contains("PSS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1));
        }
        else
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(der, out _);
            Assert.True(ecdsa.VerifyData(data, bytes, hash, DSASignatureFormat.Rfc3279DerSequence));
        }
    }

    [Fact]
    public async Task A_digest_signed_verifies_as_its_raw_message()
    {
        var keyId = await KeyIdAsync("ECC_NIST_P256", "SIGN_VERIFY");
        var digest = Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(Message)));

        var signature = (await _host.InvokeAsync("Sign", new JsonObject { ["KeyId"] = keyId, ["Message"] = digest, ["MessageType"] = "DIGEST", ["SigningAlgorithm"] = "ECDSA_SHA_256" }))["Signature"]!.DeepClone();

        var verified = await _host.InvokeAsync("Verify", new JsonObject { ["KeyId"] = keyId, ["Message"] = Message, ["MessageType"] = "RAW", ["SigningAlgorithm"] = "ECDSA_SHA_256", ["Signature"] = signature });
        Assert.True(verified["SignatureValid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_digest_of_the_wrong_length_is_ValidationException()
    {
        var keyId = await KeyIdAsync("RSA_2048", "SIGN_VERIFY");

        var error = await _host.FailAsync("Sign", new JsonObject
        {
            ["KeyId"] = keyId, ["Message"] = Convert.ToBase64String(new byte[20]), ["MessageType"] = "DIGEST", ["SigningAlgorithm"] = "RSASSA_PKCS1_V1_5_SHA_256",
        });

        Assert.Equal("ValidationException", error.Code);
        Assert.StartsWith("Digest is invalid length for algorithm RSASSA_PKCS1_V1_5_SHA_256.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_over_4096_bytes_is_ValidationException()
    {
        var keyId = await KeyIdAsync("ECC_NIST_P256", "SIGN_VERIFY");

        var error = await _host.FailAsync("Sign", new JsonObject { ["KeyId"] = keyId, ["Message"] = Convert.ToBase64String(new byte[4097]), ["SigningAlgorithm"] = "ECDSA_SHA_256" });

        Assert.Equal("ValidationException", error.Code);
    }

    [Theory]
    [InlineData("other message", false)]
    [InlineData(null, true)]
    public async Task Verify_of_a_changed_message_or_signature_is_KMSInvalidSignature(string? otherMessage, bool flipSignature)
    {
        var keyId = await KeyIdAsync("RSA_2048", "SIGN_VERIFY");
        var signature = Convert.FromBase64String((await _host.InvokeAsync("Sign", new JsonObject
        {
            ["KeyId"] = keyId, ["Message"] = Message, ["SigningAlgorithm"] = "RSASSA_PSS_SHA_256",
        }))["Signature"]!.GetValue<string>());
        if (flipSignature)
        {
            signature[10] ^= 0xff;
        }

        var error = await _host.FailAsync("Verify", new JsonObject
        {
            ["KeyId"] = keyId, ["Message"] = otherMessage is null ? Message : Convert.ToBase64String(Encoding.UTF8.GetBytes(otherMessage)),
            ["SigningAlgorithm"] = "RSASSA_PSS_SHA_256", ["Signature"] = Convert.ToBase64String(signature),
        });

        Assert.Equal("KMSInvalidSignatureException", error.Code);
    }

    [Fact]
    public async Task Verify_of_a_signature_that_is_not_DER_is_KMSInvalidSignature()
    {
        var keyId = await KeyIdAsync("ECC_NIST_P256", "SIGN_VERIFY");

        var error = await _host.FailAsync("Verify", new JsonObject
        {
            ["KeyId"] = keyId, ["Message"] = Message, ["SigningAlgorithm"] = "ECDSA_SHA_256", ["Signature"] = Convert.ToBase64String([1, 2, 3]),
        });

        Assert.Equal("KMSInvalidSignatureException", error.Code);
    }

    [Fact]
    public async Task Sign_with_an_algorithm_the_key_spec_does_not_take_is_InvalidKeyUsage()
    {
        var keyId = await KeyIdAsync("ECC_NIST_P256", "SIGN_VERIFY");

        var error = await _host.FailAsync("Sign", new JsonObject { ["KeyId"] = keyId, ["Message"] = Message, ["SigningAlgorithm"] = "ECDSA_SHA_384" });

        Assert.Equal("InvalidKeyUsageException", error.Code);
        Assert.StartsWith("Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_with_an_encryption_key_is_InvalidKeyUsage()
    {
        var metadata = await CreateAsync("RSA_2048", "ENCRYPT_DECRYPT");

        var error = await _host.FailAsync("Sign", new JsonObject { ["KeyId"] = metadata["KeyId"]!.DeepClone(), ["Message"] = Message, ["SigningAlgorithm"] = "RSASSA_PSS_SHA_256" });

        Assert.Equal("InvalidKeyUsageException", error.Code);
        Assert.Equal($"{metadata["Arn"]!.GetValue<string>()} key usage is ENCRYPT_DECRYPT which is not valid for Sign.", error.Message);
    }

    [Fact]
    public async Task Sign_is_authorized_as_kms_Sign_on_the_key_and_refused_when_disabled()
    {
        var metadata = await CreateAsync("ECC_NIST_P256", "SIGN_VERIFY");
        var keyId = metadata["KeyId"]!.GetValue<string>();
        await _host.InvokeAsync("DisableKey", new JsonObject { ["KeyId"] = keyId });

        var error = await _host.FailAsync("Sign", new JsonObject { ["KeyId"] = keyId, ["Message"] = Message, ["SigningAlgorithm"] = "ECDSA_SHA_256" });

        Assert.Equal("DisabledException", error.Code);
        Assert.Contains(("kms:Sign", metadata["Arn"]!.GetValue<string>()), _host.Authorizer.Calls);
    }

    [Fact]
    public async Task Get_public_key_of_a_symmetric_key_is_UnsupportedOperation()
    {
        var keyId = (await _host.CreateKeyAsync())["KeyId"]!.GetValue<string>();

        var error = await _host.FailAsync("GetPublicKey", new JsonObject { ["KeyId"] = keyId });

        Assert.Equal("UnsupportedOperationException", error.Code);
    }

    [Theory]
    [InlineData("RSAES_OAEP_SHA_1")]
    [InlineData("RSAES_OAEP_SHA_256")]
    public async Task Rsa_encrypt_and_decrypt_round_trip_and_the_public_key_encrypts_outside(string algorithm)
    {
        var keyId = await KeyIdAsync("RSA_2048", "ENCRYPT_DECRYPT");

        var encrypted = await _host.InvokeAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Message, ["EncryptionAlgorithm"] = algorithm });
        var decrypted = await _host.InvokeAsync("Decrypt", new JsonObject { ["KeyId"] = keyId, ["CiphertextBlob"] = encrypted["CiphertextBlob"]!.DeepClone(), ["EncryptionAlgorithm"] = algorithm });

        Assert.Equal(algorithm, encrypted["EncryptionAlgorithm"]!.GetValue<string>());
        Assert.Equal(Message, decrypted["Plaintext"]!.GetValue<string>());
        Assert.Equal(algorithm, decrypted["EncryptionAlgorithm"]!.GetValue<string>());
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String((await _host.InvokeAsync("GetPublicKey", new JsonObject { ["KeyId"] = keyId }))["PublicKey"]!.GetValue<string>()), out _);
        var outside = rsa.Encrypt(Encoding.UTF8.GetBytes("from outside"), RSAEncryptionPadding.CreateOaep(KeySpecs.OaepHash(algorithm)));
        var back = await _host.InvokeAsync("Decrypt", new JsonObject { ["KeyId"] = keyId, ["CiphertextBlob"] = Convert.ToBase64String(outside), ["EncryptionAlgorithm"] = algorithm });
        Assert.Equal("from outside", Encoding.UTF8.GetString(Convert.FromBase64String(back["Plaintext"]!.GetValue<string>())));
    }

    [Theory]
    [InlineData("RSAES_OAEP_SHA_256", 190)]
    [InlineData("RSAES_OAEP_SHA_1", 214)]
    public async Task Rsa_2048_encrypts_up_to_its_limit_and_no_further(string algorithm, int max)
    {
        var keyId = await KeyIdAsync("RSA_2048", "ENCRYPT_DECRYPT");
        await _host.InvokeAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Convert.ToBase64String(new byte[max]), ["EncryptionAlgorithm"] = algorithm });

        var error = await _host.FailAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Convert.ToBase64String(new byte[max + 1]), ["EncryptionAlgorithm"] = algorithm });

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains($"at most {max} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rsa_encrypt_needs_an_rsa_algorithm_and_no_encryption_context()
    {
        var keyId = await KeyIdAsync("RSA_2048", "ENCRYPT_DECRYPT");

        var noAlgorithm = await _host.FailAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Message });
        var context = await _host.FailAsync("Encrypt", new JsonObject
        {
            ["KeyId"] = keyId, ["Plaintext"] = Message, ["EncryptionAlgorithm"] = "RSAES_OAEP_SHA_256", ["EncryptionContext"] = new JsonObject { ["a"] = "b" },
        });

        Assert.Equal("InvalidKeyUsageException", noAlgorithm.Code);
        Assert.Equal("Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048. This key takes RSAES_OAEP_SHA_1 or RSAES_OAEP_SHA_256.", noAlgorithm.Message);
        Assert.Equal("ValidationException", context.Code);
    }

    [Fact]
    public async Task Rsa_ciphertext_without_the_key_id_or_with_another_algorithm_is_InvalidCiphertext()
    {
        var keyId = await KeyIdAsync("RSA_2048", "ENCRYPT_DECRYPT");
        var blob = (await _host.InvokeAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Message, ["EncryptionAlgorithm"] = "RSAES_OAEP_SHA_256" }))["CiphertextBlob"]!;

        var noKey = await _host.FailAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob.DeepClone(), ["EncryptionAlgorithm"] = "RSAES_OAEP_SHA_256" });
        var otherAlgorithm = await _host.FailAsync("Decrypt", new JsonObject { ["KeyId"] = keyId, ["CiphertextBlob"] = blob.DeepClone(), ["EncryptionAlgorithm"] = "RSAES_OAEP_SHA_1" });

        Assert.Equal("InvalidCiphertextException", noKey.Code);
        Assert.Equal("InvalidCiphertextException", otherAlgorithm.Code);
    }

    [Fact]
    public async Task Re_encrypt_moves_symmetric_ciphertext_to_an_rsa_key()
    {
        var symmetric = (await _host.CreateKeyAsync())["KeyId"]!.GetValue<string>();
        var rsa = await KeyIdAsync("RSA_3072", "ENCRYPT_DECRYPT");
        var blob = (await _host.InvokeAsync("Encrypt", new JsonObject { ["KeyId"] = symmetric, ["Plaintext"] = Message }))["CiphertextBlob"]!;

        var moved = await _host.InvokeAsync("ReEncrypt", new JsonObject { ["CiphertextBlob"] = blob.DeepClone(), ["DestinationKeyId"] = rsa, ["DestinationEncryptionAlgorithm"] = "RSAES_OAEP_SHA_1" });
        var back = await _host.InvokeAsync("Decrypt", new JsonObject { ["KeyId"] = rsa, ["CiphertextBlob"] = moved["CiphertextBlob"]!.DeepClone(), ["EncryptionAlgorithm"] = "RSAES_OAEP_SHA_1" });

        Assert.Equal("RSAES_OAEP_SHA_1", moved["DestinationEncryptionAlgorithm"]!.GetValue<string>());
        Assert.Null(moved["DestinationKeyMaterialId"]);
        Assert.Equal(Message, back["Plaintext"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GenerateDataKey", "InvalidKeyUsageException")]
    [InlineData("EnableKeyRotation", "UnsupportedOperationException")]
    [InlineData("RotateKeyOnDemand", "UnsupportedOperationException")]
    [InlineData("ListKeyRotations", "UnsupportedOperationException")]
    public async Task Symmetric_only_operations_refuse_an_rsa_key(string operation, string code)
    {
        var keyId = await KeyIdAsync("RSA_2048", "ENCRYPT_DECRYPT");

        var input = new JsonObject { ["KeyId"] = keyId };
        if (operation == "GenerateDataKey")
        {
            input["KeySpec"] = "AES_256";
        }

        var error = await _host.FailAsync(operation, input);

        Assert.Equal(code, error.Code);
        var status = await _host.InvokeAsync("GetKeyRotationStatus", new JsonObject { ["KeyId"] = keyId });
        Assert.False(status["KeyRotationEnabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Secure_strings_refuse_an_asymmetric_key_with_a_kms_error_not_a_crash()
    {
        var keyId = await KeyIdAsync("ECC_NIST_P256", "SIGN_VERIFY");

        var error = await Assert.ThrowsAsync<Cairn.Core.Errors.AwsException>(() =>
            _host.Keys.EncryptAsync(new KeyScope(KmsTestHost.Account, KmsTestHost.Region), keyId, new byte[] { 1 }, new Dictionary<string, string>(), CancellationToken.None));

        Assert.Equal("InvalidKeyUsageException", error.Code);
    }

    [Fact]
    public async Task A_forged_blob_naming_an_asymmetric_key_is_InvalidCiphertext()
    {
        var keyId = await KeyIdAsync("RSA_2048", "SIGN_VERIFY");
        var blob = new byte[CiphertextBlob.Overhead + 8];
        blob[0] = CiphertextBlob.Version1;
        Guid.Parse(keyId).TryWriteBytes(blob.AsSpan(1, 16), bigEndian: true, out _);

        var api = await _host.FailAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = Convert.ToBase64String(blob) });
        var secureString = await Assert.ThrowsAsync<Cairn.Core.Errors.AwsException>(() =>
            _host.Keys.DecryptAsync(new KeyScope(KmsTestHost.Account, KmsTestHost.Region), blob, new Dictionary<string, string>(), CancellationToken.None));

        Assert.Equal("InvalidKeyUsageException", api.Code);
        Assert.Equal("InvalidCiphertextException", secureString.Code);
    }

    [Fact]
    public async Task Update_alias_refuses_a_key_of_another_type()
    {
        var symmetric = (await _host.CreateKeyAsync())["KeyId"]!.GetValue<string>();
        var signing = await KeyIdAsync("ECC_NIST_P256", "SIGN_VERIFY");
        await _host.InvokeAsync("CreateAlias", new JsonObject { ["AliasName"] = "alias/app", ["TargetKeyId"] = symmetric });

        var error = await _host.FailAsync("UpdateAlias", new JsonObject { ["AliasName"] = "alias/app", ["TargetKeyId"] = signing });

        Assert.Equal("ValidationException", error.Code);
    }

    [Fact]
    public async Task The_private_key_is_stored_wrapped_never_in_plaintext()
    {
        var keyId = await KeyIdAsync("RSA_2048", "SIGN_VERIFY");
        var key = await _host.Keys.ResolveAsync(new KeyScope(KmsTestHost.Account, KmsTestHost.Region), keyId, allowAlias: false, CancellationToken.None);
        var privateKey = _host.Keys.Material(key);
        using (var rsa = RSA.Create())
        {
            rsa.ImportPkcs8PrivateKey(privateKey, out _);
        }

        Assert.False(privateKey.AsSpan().SequenceEqual(key.WrappedMaterial));
        Assert.True(key.WrappedMaterial.AsSpan().IndexOf(privateKey.AsSpan(^64..)) < 0);
        _host.Database.Dispose();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_host.Database.Path)!))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(privateKey.AsSpan(^64..)) < 0, $"the private key is in {file}");
        }
    }
}
