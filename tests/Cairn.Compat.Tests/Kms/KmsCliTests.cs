using System.Text;
using Cairn.Compat.Tests.Harness;

namespace Cairn.Compat.Tests.Kms;

/// <summary>The key service driven by the real aws CLI v2.</summary>
[Collection(CairnCollection.Name)]
public sealed class KmsCliTests(CairnFixture cairn)
{
    private async Task<string> CreateKeyAsync(string description) =>
        (await cairn.Cli.RunAsync("kms", "create-key", "--description", description)).Json()["KeyMetadata"]!["KeyId"]!.GetValue<string>();

    private string ContextJson(string parameter) =>
        $"{{\"PARAMETER_ARN\":\"arn:aws:ssm:{CairnFixture.Region}:{cairn.AccountId}:parameter/{parameter}\"}}";

    [Fact]
    public async Task Create_key_returns_an_enabled_symmetric_customer_key()
    {
        var metadata = (await cairn.Cli.RunAsync("kms", "create-key", "--description", "cli key")).Json()["KeyMetadata"]!;

        var keyId = metadata["KeyId"]!.GetValue<string>();
        Assert.Equal($"arn:aws:kms:{CairnFixture.Region}:{cairn.AccountId}:key/{keyId}", metadata["Arn"]!.GetValue<string>());
        Assert.True(metadata["Enabled"]!.GetValue<bool>());
        Assert.Equal("SYMMETRIC_DEFAULT", metadata["KeySpec"]!.GetValue<string>());
        Assert.Equal("CUSTOMER", metadata["KeyManager"]!.GetValue<string>());
        var described = (await cairn.Cli.RunAsync("kms", "describe-key", "--key-id", keyId)).Json();
        Assert.Equal("cli key", described["KeyMetadata"]!["Description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Encrypt_then_decrypt_with_the_encryption_context_round_trips()
    {
        var keyId = await CreateKeyAsync("cli round trip");
        var plaintext = Convert.ToBase64String(Encoding.UTF8.GetBytes("registry-password-cli"));

        var encrypted = (await cairn.Cli.RunAsync("kms", "encrypt", "--key-id", keyId, "--plaintext", plaintext,
            "--encryption-context", ContextJson("cli/pw"))).Json();
        var blob = encrypted["CiphertextBlob"]!.GetValue<string>();
        var decrypted = (await cairn.Cli.RunAsync("kms", "decrypt", "--ciphertext-blob", blob,
            "--encryption-context", ContextJson("cli/pw"))).Json();

        Assert.Equal(plaintext, decrypted["Plaintext"]!.GetValue<string>());
        Assert.Equal(encrypted["KeyId"]!.GetValue<string>(), decrypted["KeyId"]!.GetValue<string>());
        (await cairn.Cli.RunAsync("kms", "decrypt", "--ciphertext-blob", blob, "--encryption-context", ContextJson("cli/other")))
            .EnsureError("InvalidCiphertextException");
        (await cairn.Cli.RunAsync("kms", "decrypt", "--ciphertext-blob", blob)).EnsureError("InvalidCiphertextException");
    }

    [Fact]
    public async Task List_aliases_shows_alias_aws_ssm()
    {
        var aliases = (await cairn.Cli.RunAsync("kms", "list-aliases")).Json()["Aliases"]!.AsArray();

        var ssm = aliases.Single(a => a!["AliasName"]!.GetValue<string>() == "alias/aws/ssm")!;
        Assert.Equal($"arn:aws:kms:{CairnFixture.Region}:{cairn.AccountId}:alias/aws/ssm", ssm["AliasArn"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(ssm["TargetKeyId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Disable_key_then_encrypt_fails_with_DisabledException()
    {
        var keyId = await CreateKeyAsync("cli disabled");
        (await cairn.Cli.RunAsync("kms", "disable-key", "--key-id", keyId)).EnsureSuccess();

        var result = await cairn.Cli.RunAsync("kms", "encrypt", "--key-id", keyId, "--plaintext", Convert.ToBase64String([1, 2, 3]));

        result.EnsureError("DisabledException");
        Assert.Contains($"key/{keyId} is disabled.", result.Stderr, StringComparison.Ordinal);
        (await cairn.Cli.RunAsync("kms", "enable-key", "--key-id", keyId)).EnsureSuccess();
        (await cairn.Cli.RunAsync("kms", "encrypt", "--key-id", keyId, "--plaintext", Convert.ToBase64String([1, 2, 3]))).EnsureSuccess();
    }

    [Fact]
    public async Task Create_alias_then_encrypt_and_describe_by_alias()
    {
        var keyId = await CreateKeyAsync("cli alias");
        var alias = "alias/cli-" + Guid.NewGuid().ToString("N")[..8];

        (await cairn.Cli.RunAsync("kms", "create-alias", "--alias-name", alias, "--target-key-id", keyId)).EnsureSuccess();

        Assert.Equal(keyId, (await cairn.Cli.RunAsync("kms", "describe-key", "--key-id", alias)).Json()["KeyMetadata"]!["KeyId"]!.GetValue<string>());
        (await cairn.Cli.RunAsync("kms", "encrypt", "--key-id", alias, "--plaintext", Convert.ToBase64String([9]))).EnsureSuccess();
        (await cairn.Cli.RunAsync("kms", "create-alias", "--alias-name", alias, "--target-key-id", keyId)).EnsureError("AlreadyExistsException");
        (await cairn.Cli.RunAsync("kms", "create-alias", "--alias-name", "alias/aws/mine", "--target-key-id", keyId)).EnsureError("InvalidAliasNameException");
    }

    [Fact]
    public async Task Generate_data_key_returns_a_key_the_cli_can_decrypt()
    {
        var keyId = await CreateKeyAsync("cli data key");

        var generated = (await cairn.Cli.RunAsync("kms", "generate-data-key", "--key-id", keyId, "--key-spec", "AES_256")).Json();
        var decrypted = (await cairn.Cli.RunAsync("kms", "decrypt", "--ciphertext-blob", generated["CiphertextBlob"]!.GetValue<string>())).Json();

        Assert.Equal(32, Convert.FromBase64String(generated["Plaintext"]!.GetValue<string>()).Length);
        Assert.Equal(generated["Plaintext"]!.GetValue<string>(), decrypted["Plaintext"]!.GetValue<string>());
    }

    [Fact]
    public async Task Describe_key_of_an_unknown_key_fails_with_NotFoundException()
    {
        var result = await cairn.Cli.RunAsync("kms", "describe-key", "--key-id", "1234abcd-12ab-34cd-56ef-1234567890ab");

        result.EnsureError("NotFoundException");
        Assert.Contains("does not exist", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_are_regional()
    {
        var keyId = await CreateKeyAsync("cli regional");

        (await cairn.Cli.InRegion("eu-west-1").RunAsync("kms", "describe-key", "--key-id", keyId)).EnsureError("NotFoundException");
    }

    [Fact]
    public async Task A_secret_encrypted_through_the_cli_is_nowhere_in_the_data_directory()
    {
        var secret = "cli-at-rest-" + Guid.NewGuid().ToString("N");
        var keyId = await CreateKeyAsync("cli at rest");
        (await cairn.Cli.RunAsync("kms", "encrypt", "--key-id", keyId, "--plaintext", Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)),
            "--encryption-context", ContextJson("cli/at-rest"))).EnsureSuccess();

        foreach (var file in Directory.GetFiles(cairn.DataDirectory, "*", SearchOption.AllDirectories))
        {
            var content = File.ReadAllBytes(file);
            Assert.True(content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"the secret is in {file}");
        }
    }
}
