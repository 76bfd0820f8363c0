using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.SecretsManager;

/// <summary>Who may read a secret: IAM policies on secret ARNs, the secret's resource policy, and the KMS key under it.</summary>
public sealed class SecretAuthorizationTests : SecretsManagerFixture
{
    [Fact]
    public async Task A_user_without_GetSecretValue_gets_AccessDenied_naming_the_action_and_the_secret()
    {
        var arn = (await CallAsync("CreateSecret", """{"Name":"registry","SecretString":"pw"}"""))["ARN"]!.GetValue<string>();
        var describer = await UserAsync(Allow("""["secretsmanager:DescribeSecret"]"""));

        var denied = await FailAsync("GetSecretValue", """{"SecretId":"registry"}""", describer);
        var missing = await FailAsync("GetSecretValue", """{"SecretId":"nothing-here"}""", describer);

        Assert.Equal("AccessDeniedException", denied.Code);
        Assert.Contains($"is not authorized to perform: secretsmanager:GetSecretValue on resource: {arn}", denied.Message, StringComparison.Ordinal);
        Assert.Equal("AccessDeniedException", missing.Code);
        Assert.Contains("secret:nothing-here-??????", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_on_the_name_with_the_suffix_wildcard_allows_and_another_secret_stays_denied()
    {
        await CallAsync("CreateSecret", """{"Name":"app/token","SecretString":"t"}""");
        await CallAsync("CreateSecret", """{"Name":"other/token","SecretString":"t"}""");
        var reader = await UserAsync(Allow("""["secretsmanager:GetSecretValue"]""", $"arn:aws:secretsmanager:{Region}:{Account}:secret:app/token-??????"));

        var read = await CallAsync("GetSecretValue", """{"SecretId":"app/token"}""", reader);
        var other = await FailAsync("GetSecretValue", """{"SecretId":"other/token"}""", reader);

        Assert.Equal("t", read["SecretString"]!.GetValue<string>());
        Assert.Equal("AccessDeniedException", other.Code);
    }

    [Fact]
    public async Task The_resource_policy_can_grant_a_user_without_an_identity_policy_and_its_deny_wins_over_IAM()
    {
        await CallAsync("CreateSecret", """{"Name":"shared","SecretString":"s"}""");
        var granted = await UserAsync(policy: null);
        var allowedByIam = await UserAsync(Allow("""["secretsmanager:GetSecretValue"]"""));
        var grantedArn = $"arn:aws:iam::{Account}:user/secrets-user-1";
        var deniedArn = $"arn:aws:iam::{Account}:user/secrets-user-2";
        var policy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"{{grantedArn}}"},"Action":"secretsmanager:GetSecretValue","Resource":"*"},
              {"Effect":"Deny","Principal":{"AWS":"{{deniedArn}}"},"Action":"secretsmanager:*","Resource":"*"}]}
            """;
        await CallAsync("PutResourcePolicy", new System.Text.Json.Nodes.JsonObject { ["SecretId"] = "shared", ["ResourcePolicy"] = policy }.ToJsonString());

        var read = await CallAsync("GetSecretValue", """{"SecretId":"shared"}""", granted);
        var denied = await FailAsync("GetSecretValue", """{"SecretId":"shared"}""", allowedByIam);
        var stored = await CallAsync("GetResourcePolicy", """{"SecretId":"shared"}""");
        await CallAsync("DeleteResourcePolicy", """{"SecretId":"shared"}""");
        var afterDelete = await CallAsync("GetSecretValue", """{"SecretId":"shared"}""", allowedByIam);

        Assert.Equal("s", read["SecretString"]!.GetValue<string>());
        Assert.Equal("AccessDeniedException", denied.Code);
        Assert.Contains("explicit deny in a resource-based policy", denied.Message, StringComparison.Ordinal);
        Assert.Equal(policy, stored["ResourcePolicy"]!.GetValue<string>());
        Assert.Equal("s", afterDelete["SecretString"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_malformed_or_public_policy_is_refused()
    {
        await CallAsync("CreateSecret", """{"Name":"guarded","SecretString":"s"}""");
        const string Public = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";

        var malformed = await FailAsync("PutResourcePolicy", """{"SecretId":"guarded","ResourcePolicy":"{not json"}""");
        var blocked = await FailAsync("PutResourcePolicy", new System.Text.Json.Nodes.JsonObject { ["SecretId"] = "guarded", ["ResourcePolicy"] = Public, ["BlockPublicPolicy"] = true }.ToJsonString());

        Assert.Equal("MalformedPolicyDocumentException", malformed.Code);
        Assert.Equal("PublicPolicyException", blocked.Code);
    }

    [Fact]
    public async Task A_customer_key_needs_the_callers_kms_permission_and_the_default_key_does_not()
    {
        var kms = Server.Services.GetServices<Cairn.Server.Aws.IJsonService>().Single(s => s.TargetPrefix == "TrentService");
        var keyId = (await kms.InvokeAsync("CreateKey", new System.Text.Json.Nodes.JsonObject(), Root, default))["KeyMetadata"]!["KeyId"]!.GetValue<string>();
        await CallAsync("CreateSecret", $$"""{"Name":"cmk","SecretString":"s","KmsKeyId":"{{keyId}}"}""");
        await CallAsync("CreateSecret", """{"Name":"default-key","SecretString":"d"}""");
        var reader = await UserAsync(Allow("""["secretsmanager:GetSecretValue"]"""));

        var denied = await FailAsync("GetSecretValue", """{"SecretId":"cmk"}""", reader);
        var allowed = await CallAsync("GetSecretValue", """{"SecretId":"default-key"}""", reader);

        Assert.Equal("AccessDeniedException", denied.Code);
        Assert.Contains("kms:Decrypt", denied.Message, StringComparison.Ordinal);
        Assert.Equal("d", allowed["SecretString"]!.GetValue<string>());
    }
}
