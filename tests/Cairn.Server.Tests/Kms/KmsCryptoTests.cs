using System.Text;
using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.Kms;

public sealed class KmsCryptoTests : IDisposable
{
    private static readonly string Secret = Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cr3t-registry-password"));

    private readonly KmsTestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static JsonObject Context(string arn = "arn:aws:ssm:us-east-1:111122223333:parameter/app/pw") => new() { ["PARAMETER_ARN"] = arn };

    private async Task<(string KeyId, string Arn)> NewKeyAsync()
    {
        var metadata = await _host.CreateKeyAsync();
        return (metadata["KeyId"]!.GetValue<string>(), metadata["Arn"]!.GetValue<string>());
    }

    private async Task<string> EncryptAsync(string keyId, JsonObject? context = null)
    {
        var input = new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Secret };
        if (context is not null)
        {
            input["EncryptionContext"] = context;
        }

        return (await _host.InvokeAsync("Encrypt", input))["CiphertextBlob"]!.GetValue<string>();
    }

    [Fact]
    public async Task Encrypt_then_decrypt_with_the_same_context_returns_the_plaintext_without_naming_the_key()
    {
        var (keyId, arn) = await NewKeyAsync();

        var encrypted = await _host.InvokeAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Secret, ["EncryptionContext"] = Context() });
        Assert.Equal(arn, encrypted["KeyId"]!.GetValue<string>());
        Assert.Equal("SYMMETRIC_DEFAULT", encrypted["EncryptionAlgorithm"]!.GetValue<string>());
        Assert.NotEqual(Secret, encrypted["CiphertextBlob"]!.GetValue<string>());

        var decrypted = await _host.InvokeAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = encrypted["CiphertextBlob"]!.DeepClone(), ["EncryptionContext"] = Context() });

        Assert.Equal(Secret, decrypted["Plaintext"]!.GetValue<string>());
        Assert.Equal(arn, decrypted["KeyId"]!.GetValue<string>());
        Assert.Equal("SYMMETRIC_DEFAULT", decrypted["EncryptionAlgorithm"]!.GetValue<string>());
    }

    [Fact]
    public async Task Encrypt_through_an_alias_and_decrypt_naming_the_alias()
    {
        var (keyId, _) = await NewKeyAsync();
        await _host.InvokeAsync("CreateAlias", new JsonObject { ["AliasName"] = "alias/app", ["TargetKeyId"] = keyId });
        var blob = await EncryptAsync("alias/app");

        var decrypted = await _host.InvokeAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob, ["KeyId"] = "alias/app" });

        Assert.Equal(Secret, decrypted["Plaintext"]!.GetValue<string>());
    }

    [Fact]
    public async Task Encrypt_and_decrypt_are_authorized_on_the_key_arn()
    {
        var (keyId, arn) = await NewKeyAsync();
        var blob = await EncryptAsync(keyId);
        await _host.InvokeAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob });

        Assert.Contains(("kms:Encrypt", arn), _host.Authorizer.Calls);
        Assert.Contains(("kms:Decrypt", arn), _host.Authorizer.Calls);
    }

    [Theory]
    [InlineData("Encrypt", "kms:Encrypt")]
    [InlineData("Decrypt", "kms:Decrypt")]
    [InlineData("GenerateDataKey", "kms:GenerateDataKey")]
    public async Task Crypto_without_permission_is_AccessDenied(string operation, string action)
    {
        var (keyId, _) = await NewKeyAsync();
        var blob = await EncryptAsync(keyId);
        _host.Authorizer.Denied.Add(action);

        var error = await _host.FailAsync(operation, new JsonObject
        {
            ["KeyId"] = keyId, ["Plaintext"] = Secret, ["CiphertextBlob"] = blob, ["KeySpec"] = "AES_256",
        }, KmsTestHost.User());

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Contains(action, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_with_another_context_is_InvalidCiphertext_saying_what_to_check()
    {
        var (keyId, _) = await NewKeyAsync();
        var blob = await EncryptAsync(keyId, Context());

        var error = await _host.FailAsync("Decrypt", new JsonObject
        {
            ["CiphertextBlob"] = blob, ["EncryptionContext"] = Context("arn:aws:ssm:us-east-1:111122223333:parameter/other"),
        });

        Assert.Equal("InvalidCiphertextException", error.Code);
        Assert.Contains("EncryptionContext differs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decrypt_without_the_context_is_InvalidCiphertext()
    {
        var (keyId, _) = await NewKeyAsync();
        var blob = await EncryptAsync(keyId, Context());

        var error = await _host.FailAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob });

        Assert.Equal("InvalidCiphertextException", error.Code);
    }

    [Fact]
    public async Task Decrypt_of_a_tampered_blob_is_InvalidCiphertext()
    {
        var (keyId, _) = await NewKeyAsync();
        var bytes = Convert.FromBase64String(await EncryptAsync(keyId));
        bytes[^3] ^= 0x01;

        var error = await _host.FailAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = Convert.ToBase64String(bytes) });

        Assert.Equal("InvalidCiphertextException", error.Code);
    }

    [Fact]
    public async Task Decrypt_of_bytes_that_are_no_ciphertext_is_InvalidCiphertext()
    {
        var error = await _host.FailAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = Convert.ToBase64String(new byte[64]) });

        Assert.Equal("InvalidCiphertextException", error.Code);
    }

    [Fact]
    public async Task Decrypt_naming_another_key_is_IncorrectKey()
    {
        var (keyId, _) = await NewKeyAsync();
        var (otherKeyId, _) = await NewKeyAsync();
        var blob = await EncryptAsync(keyId);

        var error = await _host.FailAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob, ["KeyId"] = otherKeyId });

        Assert.Equal("IncorrectKeyException", error.Code);
        Assert.Equal("The key ID in the request does not identify a CMK that can perform this operation.", error.Message);
    }

    [Fact]
    public async Task Decrypt_in_another_region_is_InvalidCiphertext()
    {
        var (keyId, _) = await NewKeyAsync();
        var blob = await EncryptAsync(keyId);

        var error = await _host.FailAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob }, KmsTestHost.Root("eu-west-1"));

        Assert.Equal("InvalidCiphertextException", error.Code);
    }

    [Fact]
    public async Task Encrypt_and_decrypt_under_a_disabled_key_are_DisabledException()
    {
        var (keyId, arn) = await NewKeyAsync();
        var blob = await EncryptAsync(keyId);
        await _host.InvokeAsync("DisableKey", new JsonObject { ["KeyId"] = keyId });

        var encrypt = await _host.FailAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Secret });
        var decrypt = await _host.FailAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob });
        var generate = await _host.FailAsync("GenerateDataKey", new JsonObject { ["KeyId"] = keyId, ["KeySpec"] = "AES_256" });

        foreach (var error in new[] { encrypt, decrypt, generate })
        {
            Assert.Equal("DisabledException", error.Code);
            Assert.Equal($"{arn} is disabled.", error.Message);
        }

        await _host.InvokeAsync("EnableKey", new JsonObject { ["KeyId"] = keyId });
        Assert.Equal(Secret, (await _host.InvokeAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = blob }))["Plaintext"]!.GetValue<string>());
    }

    [Fact]
    public async Task Encrypt_of_more_than_4096_bytes_is_a_ValidationException_that_does_not_echo_the_plaintext()
    {
        var (keyId, _) = await NewKeyAsync();

        var error = await _host.FailAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Convert.ToBase64String(new byte[4097]) });

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal("1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096", error.Message);
    }

    [Fact]
    public async Task Encrypt_of_an_empty_plaintext_is_a_ValidationException()
    {
        var (keyId, _) = await NewKeyAsync();

        var error = await _host.FailAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = string.Empty });

        Assert.Equal("ValidationException", error.Code);
        Assert.EndsWith("Member must have length greater than or equal to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encrypt_without_plaintext_is_a_ValidationException()
    {
        var (keyId, _) = await NewKeyAsync();

        var error = await _host.FailAsync("Encrypt", new JsonObject { ["KeyId"] = keyId });

        Assert.Equal("1 validation error detected: Value null at 'plaintext' failed to satisfy constraint: Member must not be null", error.Message);
    }

    [Fact]
    public async Task Encrypt_with_an_asymmetric_algorithm_is_InvalidKeyUsage()
    {
        var (keyId, _) = await NewKeyAsync();

        var error = await _host.FailAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Secret, ["EncryptionAlgorithm"] = "RSAES_OAEP_SHA_256" });

        Assert.Equal("InvalidKeyUsageException", error.Code);
        Assert.Equal("Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT. This key takes SYMMETRIC_DEFAULT.", error.Message);
    }

    [Fact]
    public async Task Encrypt_with_an_unknown_key_is_NotFound()
    {
        var error = await _host.FailAsync("Encrypt", new JsonObject { ["KeyId"] = "alias/missing", ["Plaintext"] = Secret });

        Assert.Equal("NotFoundException", error.Code);
        Assert.Equal("Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found.", error.Message);
    }

    [Fact]
    public async Task Encrypt_with_dry_run_is_DryRunOperation_and_returns_no_ciphertext()
    {
        var (keyId, _) = await NewKeyAsync();

        var error = await _host.FailAsync("Encrypt", new JsonObject { ["KeyId"] = keyId, ["Plaintext"] = Secret, ["DryRun"] = true });

        Assert.Equal("DryRunOperationException", error.Code);
        Assert.Equal(412, error.HttpStatus);
    }

    [Fact]
    public async Task Direct_use_of_the_AWS_managed_ssm_key_through_KMS_is_AccessDenied()
    {
        var error = await _host.FailAsync("Encrypt", new JsonObject { ["KeyId"] = "alias/aws/ssm", ["Plaintext"] = Secret });

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Contains("because no resource-based policy allows the kms:Encrypt action", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_data_key_returns_a_key_whose_ciphertext_decrypts_to_it()
    {
        var (keyId, arn) = await NewKeyAsync();

        var generated = await _host.InvokeAsync("GenerateDataKey", new JsonObject { ["KeyId"] = keyId, ["KeySpec"] = "AES_256", ["EncryptionContext"] = Context() });

        var plaintext = generated["Plaintext"]!.GetValue<string>();
        Assert.Equal(32, Convert.FromBase64String(plaintext).Length);
        Assert.Equal(arn, generated["KeyId"]!.GetValue<string>());
        var decrypted = await _host.InvokeAsync("Decrypt", new JsonObject { ["CiphertextBlob"] = generated["CiphertextBlob"]!.DeepClone(), ["EncryptionContext"] = Context() });
        Assert.Equal(plaintext, decrypted["Plaintext"]!.GetValue<string>());
        Assert.Contains(("kms:GenerateDataKey", arn), _host.Authorizer.Calls);
    }

    [Theory]
    [InlineData("AES_128", null, 16)]
    [InlineData(null, 64, 64)]
    public async Task Generate_data_key_honours_key_spec_or_number_of_bytes(string? keySpec, int? numberOfBytes, int expected)
    {
        var (keyId, _) = await NewKeyAsync();
        var input = new JsonObject { ["KeyId"] = keyId };
        if (keySpec is not null)
        {
            input["KeySpec"] = keySpec;
        }

        if (numberOfBytes is not null)
        {
            input["NumberOfBytes"] = numberOfBytes;
        }

        var generated = await _host.InvokeAsync("GenerateDataKey", input);

        Assert.Equal(expected, Convert.FromBase64String(generated["Plaintext"]!.GetValue<string>()).Length);
    }

    [Fact]
    public async Task Generate_data_key_with_neither_or_both_sizes_is_a_ValidationException()
    {
        var (keyId, _) = await NewKeyAsync();

        var neither = await _host.FailAsync("GenerateDataKey", new JsonObject { ["KeyId"] = keyId });
        var both = await _host.FailAsync("GenerateDataKey", new JsonObject { ["KeyId"] = keyId, ["KeySpec"] = "AES_256", ["NumberOfBytes"] = 32 });

        Assert.Equal("Please specify either number of bytes or key spec.", neither.Message);
        Assert.Equal("ValidationException", both.Code);
    }

    [Fact]
    public async Task Generate_data_key_with_too_many_bytes_is_a_ValidationException()
    {
        var (keyId, _) = await NewKeyAsync();

        var error = await _host.FailAsync("GenerateDataKey", new JsonObject { ["KeyId"] = keyId, ["NumberOfBytes"] = 1025 });

        Assert.Equal("1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024", error.Message);
    }

    [Fact]
    public async Task Generate_data_key_without_plaintext_returns_only_the_ciphertext()
    {
        var (keyId, _) = await NewKeyAsync();

        var generated = await _host.InvokeAsync("GenerateDataKeyWithoutPlaintext", new JsonObject { ["KeyId"] = keyId, ["KeySpec"] = "AES_256" });

        Assert.Null(generated["Plaintext"]);
        Assert.NotNull(generated["CiphertextBlob"]);
    }
}
