using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Kms;

/// <summary>Key deletion, aliases, tags, rotation, ReEncrypt and key policies through the real aws CLI v2.</summary>
public sealed class KmsLifecycleCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private async Task<string> CreateKeyAsync(string description) =>
        (await cairn.Aws("kms", "create-key", "--description", description)).Ok()["KeyMetadata"]!["KeyId"]!.GetValue<string>();

    [Fact]
    public async Task A_SecureString_under_a_key_pending_deletion_says_which_key_and_how_to_cancel()
    {
        var keyId = await CreateKeyAsync("cli deletion");
        var name = "/kmslife/" + Guid.NewGuid().ToString("N")[..8];
        (await cairn.Aws("ssm", "put-parameter", "--name", name, "--value", "Pend1ng", "--type", "SecureString", "--key-id", keyId)).Ok();

        var scheduled = (await cairn.Aws("kms", "schedule-key-deletion", "--key-id", keyId, "--pending-window-in-days", "7")).Ok();
        Assert.Equal("PendingDeletion", scheduled["KeyState"]!.GetValue<string>());
        Assert.Equal(7, scheduled["PendingWindowInDays"]!.GetValue<int>());

        var result = await cairn.Aws("ssm", "get-parameter", "--name", name, "--with-decryption");
        Assert.DoesNotContain("Pend1ng", result.Stdout, StringComparison.Ordinal);
        var stderr = result.Fails("InvalidKeyId");
        Assert.Contains($"key/{keyId} is pending deletion.", stderr, StringComparison.Ordinal);
        Assert.Contains("aws kms cancel-key-deletion --key-id", stderr, StringComparison.Ordinal);
        Assert.Contains("KMSInvalidStateException", stderr, StringComparison.Ordinal);
        (await cairn.Aws("kms", "encrypt", "--key-id", keyId, "--plaintext", "AQ==")).Fails("KMSInvalidStateException");

        (await cairn.Aws("kms", "cancel-key-deletion", "--key-id", keyId)).Ok();
        Assert.Equal("Disabled", (await cairn.Aws("kms", "describe-key", "--key-id", keyId)).Ok()["KeyMetadata"]!["KeyState"]!.GetValue<string>());
        (await cairn.Aws("kms", "enable-key", "--key-id", keyId)).Ok();
        Assert.Equal("Pend1ng", (await cairn.Aws("ssm", "get-parameter", "--name", name, "--with-decryption")).Ok()["Parameter"]!["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Schedule_key_deletion_outside_7_to_30_days_is_a_ValidationException()
    {
        var keyId = await CreateKeyAsync("cli window");

        var stderr = (await cairn.Aws("kms", "schedule-key-deletion", "--key-id", keyId, "--pending-window-in-days", "31")).Fails("ValidationException");

        Assert.Contains("Member must have value less than or equal to 30", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_and_delete_alias_and_update_key_description()
    {
        var first = await CreateKeyAsync("cli first");
        var second = await CreateKeyAsync("cli second");
        var alias = "alias/cli-life-" + Guid.NewGuid().ToString("N")[..8];
        (await cairn.Aws("kms", "create-alias", "--alias-name", alias, "--target-key-id", first)).Ok();

        (await cairn.Aws("kms", "update-alias", "--alias-name", alias, "--target-key-id", second)).Ok();
        (await cairn.Aws("kms", "update-key-description", "--key-id", second, "--description", "now aliased")).Ok();

        var described = (await cairn.Aws("kms", "describe-key", "--key-id", alias)).Ok()["KeyMetadata"]!;
        Assert.Equal(second, described["KeyId"]!.GetValue<string>());
        Assert.Equal("now aliased", described["Description"]!.GetValue<string>());
        (await cairn.Aws("kms", "delete-alias", "--alias-name", alias)).Ok();
        (await cairn.Aws("kms", "describe-key", "--key-id", alias)).Fails("NotFoundException");
        (await cairn.Aws("kms", "delete-alias", "--alias-name", "alias/aws/ssm")).Fails("AccessDeniedException");
    }

    [Fact]
    public async Task Generate_random_returns_the_bytes_asked_for()
    {
        var random = (await cairn.Aws("kms", "generate-random", "--number-of-bytes", "32")).Ok();

        Assert.Equal(32, Convert.FromBase64String(random["Plaintext"]!.GetValue<string>()).Length);
        (await cairn.Aws("kms", "generate-random", "--number-of-bytes", "1025")).Fails("ValidationException");
    }

    [Fact]
    public async Task Tags_on_create_key_and_tag_resource_are_listed()
    {
        var keyId = (await cairn.Aws("kms", "create-key", "--tags", "TagKey=team,TagValue=build")).Ok()["KeyMetadata"]!["KeyId"]!.GetValue<string>();

        (await cairn.Aws("kms", "tag-resource", "--key-id", keyId, "--tags", "TagKey=env,TagValue=prod")).Ok();
        (await cairn.Aws("kms", "untag-resource", "--key-id", keyId, "--tag-keys", "team")).Ok();

        var tags = (await cairn.Aws("kms", "list-resource-tags", "--key-id", keyId)).Ok()["Tags"]!.AsArray();
        Assert.Equal("env=prod", string.Join(",", tags.Select(t => $"{t!["TagKey"]}={t["TagValue"]}")));
        (await cairn.Aws("kms", "tag-resource", "--key-id", keyId, "--tags", "TagKey=aws:x,TagValue=v")).Fails("TagException");
    }

    [Fact]
    public async Task Enable_key_rotation_then_re_encrypt_moves_ciphertext_to_another_key()
    {
        var keyId = await CreateKeyAsync("cli rotation");
        var other = await CreateKeyAsync("cli re-encrypt target");
        var old = (await cairn.Aws("kms", "encrypt", "--key-id", keyId, "--plaintext", "b2xk")).Ok()["CiphertextBlob"]!.GetValue<string>();

        // aws CLI 2.9 predates RotationPeriodInDays, RotateKeyOnDemand and ListKeyRotations (2024): the server tests cover them.
        (await cairn.Aws("kms", "enable-key-rotation", "--key-id", keyId)).Ok();
        var status = (await cairn.Aws("kms", "get-key-rotation-status", "--key-id", keyId)).Ok();

        Assert.True(status["KeyRotationEnabled"]!.GetValue<bool>());
        Assert.Equal("b2xk", (await cairn.Aws("kms", "decrypt", "--ciphertext-blob", old)).Ok()["Plaintext"]!.GetValue<string>());
        var moved = (await cairn.Aws("kms", "re-encrypt", "--ciphertext-blob", old, "--destination-key-id", other)).Ok();
        Assert.EndsWith(":key/" + other, moved["KeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.EndsWith(":key/" + keyId, moved["SourceKeyId"]!.GetValue<string>(), StringComparison.Ordinal);
        var back = (await cairn.Aws("kms", "decrypt", "--ciphertext-blob", moved["CiphertextBlob"]!.GetValue<string>())).Ok();
        Assert.Equal("b2xk", back["Plaintext"]!.GetValue<string>());
        Assert.EndsWith(":key/" + other, back["KeyId"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_policy_deny_refuses_a_user_whose_IAM_policy_allows()
    {
        var keyId = await CreateKeyAsync("cli policy");
        var account = cairn.Server.Options.AccountId;
        var userName = "kp-" + Guid.NewGuid().ToString("N")[..8];
        (await cairn.Aws("iam", "create-user", "--user-name", userName)).Ok();
        (await cairn.Aws("iam", "put-user-policy", "--user-name", userName, "--policy-name", "kms-all", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}""")).Ok();
        var accessKey = (await cairn.Aws("iam", "create-access-key", "--user-name", userName)).Ok()["AccessKey"]!;
        var user = cairn.Credentials(accessKey["AccessKeyId"]!.GetValue<string>(), accessKey["SecretAccessKey"]!.GetValue<string>());
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var blob = (await cairn.AwsAs(user, "kms", "encrypt", "--key-id", keyId, "--plaintext", "AQ==")).Ok()["CiphertextBlob"]!.GetValue<string>();

        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{account}}:root"},"Action":"kms:*","Resource":"*"},
              {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::{{account}}:user/{{userName}}"},"Action":"kms:Decrypt","Resource":"*"}]}
            """;
        (await cairn.Aws("kms", "put-key-policy", "--key-id", keyId, "--policy-name", "default", "--policy", policy)).Ok();

        var stderr = (await cairn.AwsAs(user, "kms", "decrypt", "--ciphertext-blob", blob)).Fails("AccessDeniedException");
        Assert.Contains("with an explicit deny in a resource-based policy", stderr, StringComparison.Ordinal);
        (await cairn.Aws("kms", "decrypt", "--ciphertext-blob", blob)).Ok();
        Assert.Contains("Deny", (await cairn.Aws("kms", "get-key-policy", "--key-id", keyId, "--policy-name", "default")).Ok()["Policy"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("default", (await cairn.Aws("kms", "list-key-policies", "--key-id", keyId)).Ok()["PolicyNames"]![0]!.GetValue<string>());
    }
}
