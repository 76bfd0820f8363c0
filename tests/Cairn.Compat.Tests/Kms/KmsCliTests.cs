using System.Text;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Kms;

/// <summary>The key service driven by the real aws CLI v2.</summary>
public sealed class KmsCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private const string Region = "us-east-1";

    private string Account => cairn.Server.Options.AccountId;

    private async Task<string> CreateKeyAsync(string description) =>
        (await cairn.Aws("kms", "create-key", "--description", description)).Ok()["KeyMetadata"]!["KeyId"]!.GetValue<string>();

    private string ContextJson(string parameter) => $"{{\"PARAMETER_ARN\":\"arn:aws:ssm:{Region}:{Account}:parameter/{parameter}\"}}";

    [Fact]
    public async Task Create_key_returns_an_enabled_symmetric_customer_key()
    {
        var metadata = (await cairn.Aws("kms", "create-key", "--description", "cli key")).Ok()["KeyMetadata"]!;

        var keyId = metadata["KeyId"]!.GetValue<string>();
        Assert.Equal($"arn:aws:kms:{Region}:{Account}:key/{keyId}", metadata["Arn"]!.GetValue<string>());
        Assert.True(metadata["Enabled"]!.GetValue<bool>());
        Assert.Equal("SYMMETRIC_DEFAULT", metadata["KeySpec"]!.GetValue<string>());
        Assert.Equal("CUSTOMER", metadata["KeyManager"]!.GetValue<string>());
        var described = (await cairn.Aws("kms", "describe-key", "--key-id", keyId)).Ok();
        Assert.Equal("cli key", described["KeyMetadata"]!["Description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_key_checks_the_key_spec_before_the_policy()
    {
        var stderr = (await cairn.Aws("kms", "create-key", "--key-spec", "AES_999", "--policy", "{not json")).Fails("ValidationException");

        Assert.Contains("Value 'AES_999' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set", stderr, StringComparison.Ordinal);
        (await cairn.Aws("kms", "create-key", "--policy", "{not json")).Fails("MalformedPolicyDocumentException");
    }

    [Fact]
    public async Task Encrypt_then_decrypt_with_the_encryption_context_round_trips()
    {
        var keyId = await CreateKeyAsync("cli round trip");
        var plaintext = Convert.ToBase64String(Encoding.UTF8.GetBytes("registry-password-cli"));

        var encrypted = (await cairn.Aws("kms", "encrypt", "--key-id", keyId, "--plaintext", plaintext, "--encryption-context", ContextJson("cli/pw"))).Ok();
        var blob = encrypted["CiphertextBlob"]!.GetValue<string>();
        var decrypted = (await cairn.Aws("kms", "decrypt", "--ciphertext-blob", blob, "--encryption-context", ContextJson("cli/pw"))).Ok();

        Assert.Equal(plaintext, decrypted["Plaintext"]!.GetValue<string>());
        Assert.Equal(encrypted["KeyId"]!.GetValue<string>(), decrypted["KeyId"]!.GetValue<string>());
        (await cairn.Aws("kms", "decrypt", "--ciphertext-blob", blob, "--encryption-context", ContextJson("cli/other"))).Fails("InvalidCiphertextException");
        (await cairn.Aws("kms", "decrypt", "--ciphertext-blob", blob)).Fails("InvalidCiphertextException");
    }

    [Fact]
    public async Task List_aliases_shows_alias_aws_ssm()
    {
        var aliases = (await cairn.Aws("kms", "list-aliases")).Ok()["Aliases"]!.AsArray();

        var ssm = aliases.Single(a => a!["AliasName"]!.GetValue<string>() == "alias/aws/ssm")!;
        Assert.Equal($"arn:aws:kms:{Region}:{Account}:alias/aws/ssm", ssm["AliasArn"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(ssm["TargetKeyId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Disable_key_then_encrypt_fails_with_DisabledException()
    {
        var keyId = await CreateKeyAsync("cli disabled");
        (await cairn.Aws("kms", "disable-key", "--key-id", keyId)).Ok();

        var stderr = (await cairn.Aws("kms", "encrypt", "--key-id", keyId, "--plaintext", Convert.ToBase64String([1, 2, 3]))).Fails("DisabledException");

        Assert.Contains($"key/{keyId} is disabled.", stderr, StringComparison.Ordinal);
        (await cairn.Aws("kms", "enable-key", "--key-id", keyId)).Ok();
        (await cairn.Aws("kms", "encrypt", "--key-id", keyId, "--plaintext", Convert.ToBase64String([1, 2, 3]))).Ok();
    }

    [Fact]
    public async Task Create_alias_then_encrypt_and_describe_by_alias()
    {
        var keyId = await CreateKeyAsync("cli alias");
        var alias = "alias/cli-" + Guid.NewGuid().ToString("N")[..8];

        (await cairn.Aws("kms", "create-alias", "--alias-name", alias, "--target-key-id", keyId)).Ok();

        Assert.Equal(keyId, (await cairn.Aws("kms", "describe-key", "--key-id", alias)).Ok()["KeyMetadata"]!["KeyId"]!.GetValue<string>());
        (await cairn.Aws("kms", "encrypt", "--key-id", alias, "--plaintext", Convert.ToBase64String([9]))).Ok();
        (await cairn.Aws("kms", "create-alias", "--alias-name", alias, "--target-key-id", keyId)).Fails("AlreadyExistsException");
        (await cairn.Aws("kms", "create-alias", "--alias-name", "alias/aws/mine", "--target-key-id", keyId)).Fails("InvalidAliasNameException");
    }

    [Fact]
    public async Task Generate_data_key_returns_a_key_the_cli_can_decrypt()
    {
        var keyId = await CreateKeyAsync("cli data key");

        var generated = (await cairn.Aws("kms", "generate-data-key", "--key-id", keyId, "--key-spec", "AES_256")).Ok();
        var decrypted = (await cairn.Aws("kms", "decrypt", "--ciphertext-blob", generated["CiphertextBlob"]!.GetValue<string>())).Ok();

        Assert.Equal(32, Convert.FromBase64String(generated["Plaintext"]!.GetValue<string>()).Length);
        Assert.Equal(generated["Plaintext"]!.GetValue<string>(), decrypted["Plaintext"]!.GetValue<string>());
    }

    [Fact]
    public async Task Describe_key_of_an_unknown_key_fails_with_NotFoundException()
    {
        var stderr = (await cairn.Aws("kms", "describe-key", "--key-id", "1234abcd-12ab-34cd-56ef-1234567890ab")).Fails("NotFoundException");

        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_are_regional()
    {
        var keyId = await CreateKeyAsync("cli regional");

        (await cairn.AwsAs(cairn.Credentials(region: "eu-west-1"), "kms", "describe-key", "--key-id", keyId)).Fails("NotFoundException");
    }

    [Fact]
    public async Task A_secret_encrypted_through_the_cli_is_nowhere_in_the_data_directory()
    {
        var secret = "cli-at-rest-" + Guid.NewGuid().ToString("N");
        var keyId = await CreateKeyAsync("cli at rest");
        (await cairn.Aws("kms", "encrypt", "--key-id", keyId, "--plaintext", Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)),
            "--encryption-context", ContextJson("cli/at-rest"))).Ok();

        foreach (var file in Directory.GetFiles(cairn.DataDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"the secret is in {file}");
        }
    }
}
