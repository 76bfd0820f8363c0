using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Cli.Builds;
using Cairn.Cli.Iam;
using Cairn.Compat.Tests.Build;
using Cairn.Compat.Tests.Infrastructure;
using Cairn.Core.Tests.Buildspec;

namespace Cairn.Compat.Tests.Hygiene;

/// <summary>
/// Issue 16's least privilege with the real aws CLI: the seeds' role with AmazonSSMFullAccess runs the first seed's
/// build; `cairn iam suggest-policy` (CairnSecrets.GetPolicySuggestion) makes a policy from the audit trail; its printed
/// commands, run with the aws CLI, swap it in; the same build still succeeds and PutParameter is no longer allowed.
/// </summary>
public sealed partial class SuggestPolicyCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>, IDisposable
{
    private const string Role = "seed-codebuild-role";
    private const string Arn = "arn:aws:ssm:us-east-1:000000000000:parameter/";
    private readonly BuildWorkspace _workspace = new(cairn);

    public void Dispose() => _workspace.Dispose();

    private async Task<JsonObject> SuggestAsync(JsonObject body)
    {
        using var http = new HttpClient();
        var client = new AwsApiClient(http, new Uri(cairn.Endpoint), new AwsCredentials(CairnFixture.RootKeyId, CairnFixture.RootSecret, null), "us-east-1");
        return await client.JsonAsync("cairn", "CairnSecrets.GetPolicySuggestion", body, CancellationToken.None);
    }

    private async Task<string> PutParameterDecisionAsync() =>
        (string)(await cairn.Aws("iam", "simulate-principal-policy", "--policy-source-arn", $"arn:aws:iam::000000000000:role/{Role}",
            "--action-names", "ssm:PutParameter", "--resource-arns", Arn + "my_app_Docker_credentials_password")).Ok()["EvaluationResults"]![0]!["EvalDecision"]!;

    [Fact]
    public async Task The_suggested_policy_in_place_of_AmazonSSMFullAccess_still_builds_the_seed_and_denies_PutParameter()
    {
        (await cairn.Aws("ssm", "put-parameter", "--name", "/my_app_Docker_registry_URL", "--value", "registry.example.test", "--type", "String")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "/my_app_Docker_credentials_username", "--value", "seeduser", "--type", "SecureString")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "/my_app_Docker_credentials_password", "--value", "Seed-Pa55word!", "--type", "SecureString")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "/unrelated/token", "--value", "not-for-builds", "--type", "SecureString")).Ok();
        (await cairn.Aws("iam", "create-role", "--role-name", Role, "--assume-role-policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""")).Ok();
        // The seeds' own command: the broad grant "to avoid build failures".
        (await cairn.Aws("iam", "attach-role-policy", "--role-name", Role, "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMFullAccess")).Ok();
        _workspace.Write("buildspec.yml", SeedBuildspecs.EnvironmentWithResolveFixed);
        var broad = await _workspace.BuildAsync("--role", Role);
        Assert.True(broad.ExitCode == 0, broad.Stdout + broad.Stderr);
        Assert.Equal("allowed", await PutParameterDecisionAsync());

        var answer = await SuggestAsync(new JsonObject { ["RoleName"] = Role, ["Since"] = "1h" });

        string[] read = [Arn + "my_app_Docker_credentials_password", Arn + "my_app_Docker_credentials_username", Arn + "my_app_Docker_registry_URL"];
        var used = answer["Used"]!.AsArray().Select(c => $"{(string?)c!["Action"]} {(string?)c["Resource"]}").ToList();
        Assert.Equal(read.Select(a => "ssm:GetParameters " + a), used);
        var document = JsonNode.Parse((string)answer["PolicyDocument"]!)!;
        var statement = Assert.Single(document["Statement"]!.AsArray())!;
        Assert.Equal("ssm:GetParameters", (string?)statement["Action"]);
        Assert.Equal(read, statement["Resource"]!.AsArray().Select(r => (string?)r));
        var current = Assert.Single(answer["CurrentPolicies"]!.AsArray())!;
        Assert.Equal("AmazonSSMFullAccess", (string?)current["PolicyName"]);
        Assert.Equal("arn:aws:iam::aws:policy/AmazonSSMFullAccess", (string?)current["PolicyArn"]);
        Assert.Contains("ssm:*", current["Actions"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(3, current["Allowed"]!.AsArray().Count);
        Assert.Equal(0, (int?)answer["NotAllowed"]);
        Assert.All(answer["Checks"]!.AsArray(), c => Assert.Equal("allowed", (string?)c!["Decision"]));
        var table = SuggestionRenderer.Table(answer);
        Assert.Contains("AmazonSSMFullAccess (aws-managed): ", table, StringComparison.Ordinal);
        Assert.Contains("used: ssm:GetParameters on 3 ARNs", table, StringComparison.Ordinal);
        Assert.Contains("Dry-run: all 3 audited action/resource pairs are allowed", table, StringComparison.Ordinal);
        Assert.DoesNotContain("Seed-Pa55word!", table + answer.ToJsonString(), StringComparison.Ordinal);

        var commands = answer["Commands"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Equal($"aws iam detach-role-policy --role-name {Role} --policy-arn arn:aws:iam::aws:policy/AmazonSSMFullAccess", commands[^1]);
        foreach (var command in commands)
        {
            (await cairn.Aws([.. Words(command).Skip(1)])).Ok();
        }

        var attached = (await cairn.Aws("iam", "list-attached-role-policies", "--role-name", Role)).Ok()["AttachedPolicies"]!.AsArray();
        Assert.Equal($"{Role}-least-privilege", (string?)Assert.Single(attached)!["PolicyName"]);
        var narrow = await _workspace.BuildAsync("--role", Role);
        Assert.True(narrow.ExitCode == 0, narrow.Stdout + narrow.Stderr);
        Assert.Contains("push registry.example.test/seeduser/sample-python-flask-app", File.ReadAllText(_workspace.Calls), StringComparison.Ordinal);
        Assert.Equal("implicitDeny", await PutParameterDecisionAsync());
    }

    [Fact]
    public async Task Naming_neither_or_both_principals_or_a_bad_window_is_a_ValidationException()
    {
        var neither = await Assert.ThrowsAsync<AwsApiException>(() => SuggestAsync([]));
        Assert.Equal("ValidationException", neither.Code);
        var window = await Assert.ThrowsAsync<AwsApiException>(() => SuggestAsync(new JsonObject { ["RoleName"] = "r", ["Since"] = "yesterday" }));
        Assert.Equal("ValidationException", window.Code);
        Assert.Contains("like 30d", window.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<AwsApiException>(() => SuggestAsync(new JsonObject { ["RoleName"] = "no-such-role" }));
        Assert.Equal("NoSuchEntity", missing.Code);
    }

    /// <summary>A printed command's words: single-quoted arguments (the policy document) kept whole.</summary>
    private static IEnumerable<string> Words(string command) =>
        CommandWord().Matches(command).Select(m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Value);

    [GeneratedRegex(@"'(?<quoted>[^']*)'|\S+")]
    private static partial Regex CommandWord();
}
