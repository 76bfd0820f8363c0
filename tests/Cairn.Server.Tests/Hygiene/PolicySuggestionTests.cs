using System.Text.Json.Nodes;
using Cairn.Core.Audit;
using Cairn.Core.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Hygiene;

/// <summary>
/// CairnSecrets.GetPolicySuggestion over a real server: a user's audited reads become exact ARNs, a folder's wildcard
/// when several share it, kms:Decrypt only on the customer key used; its inline policy is shown and replaced; the caller
/// needs the IAM reads and the audit read.
/// </summary>
public sealed class PolicySuggestionTests : HygieneServer
{
    private const string Arn = "arn:aws:ssm:us-east-1:000000000000:parameter/";

    private async Task ReadAsync(RequestContext who, string name)
    {
        var context = Context(who.Principal, who.AccessKeyId);
        await SsmAsync("GetParameter", new JsonObject { ["Name"] = name, ["WithDecryption"] = true }.ToJsonString(), context);
        // The wire's request pipeline audits each request's decisions at its end; called in-process, the test does it.
        Server.Services.GetRequiredService<IAuditLog>().Record(context, "ssm:GetParameter", errorCode: null);
    }

    [Fact]
    public async Task A_users_reads_become_exact_ARNs_a_folder_wildcard_and_kms_Decrypt_on_the_customer_key_only()
    {
        var key = (string)(await CallAsync("TrentService", "CreateKey", "{}"))["KeyMetadata"]!["Arn"]!;
        await PutAsync("/app/db/user", "u", "SecureString");
        await PutAsync("/app/db/password", "p", "SecureString");
        await PutAsync("/app/other/unused", "x", "SecureString");
        await PutAsync("root_setting", "r");
        await SsmAsync("PutParameter", new JsonObject { ["Name"] = "/keyed/secret", ["Value"] = "k", ["Type"] = "SecureString", ["KeyId"] = key }.ToJsonString());
        var reader = await UserAsync("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:*","kms:*"],"Resource":"*"}]}""");
        foreach (var name in new[] { "/app/db/user", "/app/db/password", "root_setting", "/keyed/secret", "/app/db/user" })
        {
            await ReadAsync(reader, name);
        }

        var answer = await SecretsAsync("GetPolicySuggestion", new JsonObject { ["UserName"] = reader.Principal.Name, ["Since"] = "1h" }.ToJsonString());

        var document = JsonNode.Parse((string)answer["PolicyDocument"]!)!;
        var statements = document["Statement"]!.AsArray().Select(s => s!.ToJsonString()).ToList();
        string[] expected =
        [
            $$"""{"Effect":"Allow","Action":"kms:Decrypt","Resource":"{{key}}"}""",
            $$"""{"Effect":"Allow","Action":"ssm:GetParameter","Resource":["{{Arn}}app/db/*","{{Arn}}keyed/secret","{{Arn}}root_setting"]}""",
        ];

        // This assertion failed now and then in whole-project runs on a quiet machine: the reads and the suggestion fell in
        // the same millisecond and the window's end was exclusive. The whole answer and the user's audit entries stay in
        // the message.
        if (!expected.SequenceEqual(statements))
        {
            var entries = await Server.Services.GetRequiredService<IAuditLog>().QueryAsync(new AuditQuery(PrincipalContains: "/" + reader.Principal.Name), default);
            Assert.Fail($"statements: {string.Join(" | ", statements)}\nanswer: {answer.ToJsonString()}\naudit: "
                + string.Join(" | ", entries.Select(e => $"{e.Time:O} {e.PrincipalArn} {e.Action} {e.Resource} {e.Decision} {e.ErrorCode}")));
        }
        var user = answer["Used"]!.AsArray().Single(c => (string?)c!["Resource"] == Arn + "app/db/user")!;
        Assert.Equal(2, (int?)user["Count"]);
        Assert.DoesNotContain(answer["Used"]!.AsArray(), c => ((string?)c!["Resource"])!.Contains("unused", StringComparison.Ordinal));
        Assert.Equal(0, (int?)answer["NotAllowed"]);
        var current = Assert.Single(answer["CurrentPolicies"]!.AsArray())!;
        Assert.Equal("user", (string?)current["SourceType"]);
        Assert.Equal(["ssm:*", "kms:*"], current["Actions"]!.AsArray().Select(a => (string?)a));
        var commands = answer["Commands"]!.AsArray().Select(c => (string?)c).ToList();
        Assert.Equal($"aws iam attach-user-policy --user-name {reader.Principal.Name} --policy-arn arn:aws:iam::000000000000:policy/{reader.Principal.Name}-least-privilege", commands[1]);
        Assert.Equal($"aws iam delete-user-policy --user-name {reader.Principal.Name} --policy-name only", commands[^1]);
    }

    [Fact]
    public async Task A_principal_with_no_calls_in_the_window_gets_no_policy_and_no_commands()
    {
        var idle = await UserAsync(null);

        var answer = await SecretsAsync("GetPolicySuggestion", new JsonObject { ["UserName"] = idle.Principal.Name }.ToJsonString());

        Assert.Null(answer["PolicyDocument"]);
        Assert.Empty(answer["Commands"]!.AsArray());
        Assert.Empty(answer["Used"]!.AsArray());
    }

    [Fact]
    public async Task The_suggestion_needs_the_IAM_reads_and_the_audit_read()
    {
        var target = await UserAsync(null);
        var iamOnly = await UserAsync("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}""");
        var both = await UserAsync("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*","cloudtrail:LookupEvents"],"Resource":"*"}]}""");
        var body = new JsonObject { ["UserName"] = target.Principal.Name }.ToJsonString();

        var denied = await FailsAsync(() => SecretsAsync("GetPolicySuggestion", body, iamOnly));
        Assert.True(denied.IsAccessDenied);
        Assert.Contains("cloudtrail:LookupEvents", denied.Message, StringComparison.Ordinal);
        var auditOnly = await UserAsync("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudtrail:LookupEvents","Resource":"*"}]}""");
        var noIam = await FailsAsync(() => SecretsAsync("GetPolicySuggestion", body, auditOnly));
        Assert.Contains("iam:GetUser", noIam.Message, StringComparison.Ordinal);
        Assert.Equal(target.Principal.Arn, (string?)(await SecretsAsync("GetPolicySuggestion", body, both))["PrincipalArn"]);
    }
}
