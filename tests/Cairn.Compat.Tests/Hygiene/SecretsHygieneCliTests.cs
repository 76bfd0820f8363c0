using System.Text.Json.Nodes;
using Cairn.Cli.Builds;
using Cairn.Cli.Secrets;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Hygiene;

/// <summary>
/// The seeds' parameters, put with the real aws CLI as the seeds show them (both conventions), then the naming rule
/// and the report through Cairn's CairnSecrets API as `cairn secrets` calls it, rendered as the command renders it.
/// </summary>
public sealed class SecretsHygieneCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    private async Task<JsonObject> SecretsAsync(string operation, JsonObject body)
    {
        using var http = new HttpClient();
        var client = new AwsApiClient(http, new Uri(cairn.Endpoint), new AwsCredentials(CairnFixture.RootKeyId, CairnFixture.RootSecret, null), "us-east-1");
        return await client.JsonAsync("cairn", "CairnSecrets." + operation, body, CancellationToken.None);
    }

    [Fact]
    public async Task The_seeds_parameters_give_the_findings_and_an_enforced_rule_rejects_a_new_name_through_the_aws_cli()
    {
        // First seed: {Application Name}_{Credential Type}_{Detail}; third seed's username command verbatim.
        (await cairn.Aws("ssm", "put-parameter", "--name", "my_app_Docker_credentials_username", "--value", "docker_username", "--type", "SecureString")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "my_app_Docker_credentials_password", "--value", "your-password", "--type", "SecureString")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "my_app_Docker_registry_URL", "--value", "docker.io", "--type", "String")).Ok();
        // Second seed's commands verbatim.
        (await cairn.Aws("ssm", "put-parameter", "--name", "my-app-docker-credentials-username", "--value", "your-username", "--type", "SecureString")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "my-app-docker-credentials-password", "--value", "your-password", "--type", "SecureString")).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "my-app-docker-registry-url", "--value", "docker.io", "--type", "String")).Ok();
        // A build reads the first seed's username (audited as any read is).
        (await cairn.Aws("ssm", "get-parameter", "--name", "my_app_Docker_credentials_username", "--with-decryption")).Ok();

        await SecretsAsync("PutNamingRule", new JsonObject { ["Pattern"] = "{app:lower}_{kind:title}_{detail:lower}", ["Mode"] = "enforce" });
        var stderr = (await cairn.Aws("ssm", "put-parameter", "--name", "MyAppPassword", "--value", "x", "--type", "SecureString")).Fails("ValidationException");
        Assert.Contains("Parameter name MyAppPassword does not follow this account's naming rule '{app:lower}_{kind:title}_{detail:lower}' (e.g. my_app_Docker_credentials_password)", stderr, StringComparison.Ordinal);
        // Existing names are never blocked: the seed's URL can still be overwritten.
        (await cairn.Aws("ssm", "put-parameter", "--name", "my_app_Docker_registry_URL", "--value", "docker.io", "--overwrite")).Ok();

        var report = await SecretsAsync("GetSecretsReport", []);
        var findings = report["Findings"]!.AsArray().OfType<JsonObject>().ToList();
        List<string> Subjects(string rule) => findings.Where(f => (string?)f["RuleId"] == rule).Select(f => (string)f["Subject"]!).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            ["my-app-docker-credentials-password", "my-app-docker-credentials-username", "my-app-docker-registry-url", "my_app_Docker_registry_URL"],
            Subjects("naming-rule"));
        var url = findings.Single(f => (string?)f["RuleId"] == "naming-rule" && (string?)f["Subject"] == "my_app_Docker_registry_URL");
        Assert.Equal("aws ssm delete-parameter --name my_app_Docker_registry_URL", (string?)url["Fix"]![1]);
        Assert.Contains("my_app_Docker_registry_url", (string?)url["Fix"]![0], StringComparison.Ordinal);
        var duplicate = Assert.Single(findings, f => (string?)f["RuleId"] == "duplicate-secret");
        Assert.Contains("my-app-docker-credentials-password, my_app_Docker_credentials_password", (string?)duplicate["Message"], StringComparison.Ordinal);
        Assert.Equal(["my-app-docker-credentials-password", "my-app-docker-credentials-username", "my_app_Docker_credentials_password"], Subjects("unused-secret"));
        Assert.Empty(Subjects("plaintext-secret"));

        var text = ReportRenderer.Table(report) + ReportRenderer.Sarif(report, "1.0.0") + ReportRenderer.Json(report);
        foreach (var value in new[] { "your-password", "your-username", "docker_username" })
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        }

        var sarif = JsonNode.Parse(ReportRenderer.Sarif(report, "1.0.0"))!;
        Assert.Equal("2.1.0", (string?)sarif["version"]);
        var run = sarif["runs"]![0]!;
        var ruleIds = run["tool"]!["driver"]!["rules"]!.AsArray().Select(r => (string?)r!["id"]).ToList();
        Assert.Contains("naming-rule", ruleIds);
        Assert.All(run["results"]!.AsArray(), r =>
        {
            Assert.Contains((string?)r!["ruleId"], ruleIds);
            Assert.Contains((string?)r["level"], new[] { "error", "warning", "note" });
            Assert.False(string.IsNullOrEmpty((string?)r["message"]!["text"]));
        });
    }

    [Fact]
    public async Task A_secret_stored_as_String_and_a_buildspec_with_docker_login_p_are_findings()
    {
        (await cairn.Aws("ssm", "put-parameter", "--name", "legacy_Docker_credentials_password", "--value", "plain-pass", "--type", "String")).Ok();
        (await cairn.Aws("iam", "create-role", "--role-name", "codebuild-service-role", "--assume-role-policy-document",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""")).Ok();
        const string Buildspec = "version: 0.2\nenv:\n  parameter-store:\n    DOCKER_PASSWORD: legacy_Docker_credentials_password\nphases:\n  build:\n    commands:\n      - docker login -u me -p $DOCKER_PASSWORD\n";
        (await cairn.Aws("codebuild", "create-project", "--name", "legacy-app",
            "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = Buildspec }.ToJsonString(),
            "--artifacts", "type=NO_ARTIFACTS",
            "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
            "--service-role", "arn:aws:iam::000000000000:role/codebuild-service-role")).Ok();

        var report = await SecretsAsync("GetSecretsReport", []);
        var findings = report["Findings"]!.AsArray().OfType<JsonObject>().ToList();

        var plaintext = Assert.Single(findings, f => (string?)f["RuleId"] == "plaintext-secret");
        Assert.Equal("legacy_Docker_credentials_password", (string?)plaintext["Subject"]);
        Assert.Contains("--type SecureString --overwrite", (string?)plaintext["Fix"]![0], StringComparison.Ordinal);
        var login = Assert.Single(findings, f => (string?)f["RuleId"] == "secret-on-command-line");
        Assert.Equal(8, (int?)login["Line"]);
        var sarif = JsonNode.Parse(ReportRenderer.Sarif(report, "1.0.0"))!;
        var located = sarif["runs"]![0]!["results"]!.AsArray().Single(r => (string?)r!["ruleId"] == "secret-on-command-line")!;
        Assert.Equal(8, (int?)located["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]);
        Assert.DoesNotContain("plain-pass", ReportRenderer.Table(report), StringComparison.Ordinal);
    }
}
