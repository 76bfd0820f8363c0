using System.Text.Json.Nodes;
using Cairn.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Hygiene;

public sealed class SecretsReportTests : HygieneServer
{
    private const string GitHubToken = "ghp_0123456789abcdefghijABCDEFGHIJ0123456789";
    private const string SharedSecret = "S3cr3t-shared-between-two";

    private const string Buildspec = """
        version: 0.2
        env:
          parameter-store:
            DOCKER_USERNAME: my_app_Docker_credentials_username
            DOCKER_PASSWORD: my_app_Docker_credentials_password
        phases:
          build:
            commands:
              - docker login -u $DOCKER_USERNAME -p $DOCKER_PASSWORD
              - docker build -t app .
        """;

    private JsonObject _report = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await PutAsync("my_app_Docker_credentials_password", "your-password");
        await PutAsync("my_app_Docker_credentials_username", "docker_username", "SecureString");
        await PutAsync("my_app_Docker_registry_URL", "docker.io");
        await PutAsync("ci_github_token", GitHubToken);
        await PutAsync("team_a_Db_password", SharedSecret, "SecureString");
        await PutAsync("team_b_Db_password", SharedSecret, "SecureString");
        // The wire's request pipeline audits each request's decisions at its end; called in-process, the test does it.
        var read = Context(Root.Principal);
        await SsmAsync("GetParameter", """{"Name":"team_a_Db_password","WithDecryption":true}""", read);
        Server.Services.GetRequiredService<IAuditLog>().Record(read, "ssm:GetParameter", errorCode: null);
        var expires = DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        await SsmAsync("PutParameter", new JsonObject
        {
            ["Name"] = "my_app_Deploy_token", ["Value"] = "t", ["Type"] = "SecureString", ["Tier"] = "Advanced",
            ["Policies"] = $$$"""[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"{{{expires}}}"}}]""",
        }.ToJsonString());
        await SecretsAsync("PutNamingRule", """{"Pattern":"{app:lower}_{kind:title}_{detail:lower}","Mode":"enforce"}""");

        var iam = Server.Services.GetServices<Cairn.Server.Aws.IQueryService>().Single(s => s.SigningName == "iam");
        await iam.InvokeAsync("CreateRole", new Dictionary<string, string>
        {
            ["RoleName"] = "codebuild-service-role",
            ["AssumeRolePolicyDocument"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
        }, Root, default);
        await CallAsync("CodeBuild_20161006", "CreateProject", new JsonObject
        {
            ["name"] = "sample-python-flask-app",
            ["source"] = new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = Buildspec },
            ["artifacts"] = new JsonObject { ["type"] = "NO_ARTIFACTS" },
            ["environment"] = new JsonObject { ["type"] = "LINUX_EC2", ["image"] = "host", ["computeType"] = "BUILD_GENERAL1_SMALL" },
            ["serviceRole"] = $"arn:aws:iam::{Account}:role/codebuild-service-role",
        }.ToJsonString());

        _report = await SecretsAsync("GetSecretsReport", "{}");
    }

    private List<JsonObject> Findings(string ruleId) =>
        _report["Findings"]!.AsArray().OfType<JsonObject>().Where(f => (string?)f["RuleId"] == ruleId).ToList();

    private static List<string?> Subjects(IEnumerable<JsonObject> findings) => findings.Select(f => (string?)f["Subject"]).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void A_secret_stored_as_String_is_found_with_the_SecureString_overwrite_and_the_history_note()
    {
        var findings = Findings("plaintext-secret");

        Assert.Equal(["ci_github_token", "my_app_Docker_credentials_password"], Subjects(findings));
        var token = findings.Single(f => (string?)f["Subject"] == "ci_github_token");
        Assert.Equal("error", (string?)token["Severity"]);
        Assert.Contains("GitHub token", (string?)token["Evidence"], StringComparison.Ordinal);
        Assert.Equal(
            "aws ssm put-parameter --name ci_github_token --type SecureString --overwrite --value \"$(aws ssm get-parameter --name ci_github_token --query Parameter.Value --output text)\"",
            (string?)token["Fix"]![0]);
        Assert.Contains("GetParameterHistory still returns", (string?)token["Note"], StringComparison.Ordinal);
        Assert.Contains("aws ssm delete-parameter --name ci_github_token", (string?)token["Note"], StringComparison.Ordinal);
    }

    [Fact]
    public void Existing_names_that_break_the_rule_are_found_with_the_rename_commands()
    {
        var findings = Findings("naming-rule");

        Assert.Equal(["ci_github_token", "my_app_Docker_registry_URL"], Subjects(findings));
        var url = findings.Single(f => (string?)f["Subject"] == "my_app_Docker_registry_URL");
        Assert.Contains("Rename it to my_app_Docker_registry_url", (string?)url["Message"], StringComparison.Ordinal);
        Assert.Equal(
            "aws ssm put-parameter --name my_app_Docker_registry_url --type String --value \"$(aws ssm get-parameter --name my_app_Docker_registry_URL --with-decryption --query Parameter.Value --output text)\"",
            (string?)url["Fix"]![0]);
        Assert.Equal("aws ssm delete-parameter --name my_app_Docker_registry_URL", (string?)url["Fix"]![1]);
    }

    [Fact]
    public void SecureStrings_the_audit_trail_shows_no_read_of_are_found_and_read_ones_are_not()
    {
        var subjects = Subjects(Findings("unused-secret"));

        Assert.Contains("my_app_Docker_credentials_username", subjects);
        Assert.Contains("team_b_Db_password", subjects);
        Assert.DoesNotContain("team_a_Db_password", subjects);
        Assert.DoesNotContain("my_app_Docker_credentials_password", subjects);
    }

    [Fact]
    public void The_same_secret_under_two_names_is_one_finding_naming_both()
    {
        var finding = Assert.Single(Findings("duplicate-secret"));

        Assert.Contains("team_a_Db_password, team_b_Db_password", (string?)finding["Message"], StringComparison.Ordinal);
        Assert.Contains("keyed HMAC", (string?)finding["Evidence"], StringComparison.Ordinal);
    }

    [Fact]
    public void An_Expiration_policy_due_within_the_window_is_found()
    {
        var finding = Assert.Single(Findings("expired-parameter"));

        Assert.Equal("my_app_Deploy_token", (string?)finding["Subject"]);
        Assert.Equal("warning", (string?)finding["Severity"]);
    }

    [Fact]
    public void Parameters_no_project_buildspec_or_pipeline_names_and_nobody_read_are_notes()
    {
        // The project's buildspec names the username and password; team_a's password was read; the rest nothing names.
        var findings = Findings("unreferenced-parameter");

        Assert.Equal(["ci_github_token", "my_app_Deploy_token", "my_app_Docker_registry_URL", "team_b_Db_password"], Subjects(findings));
        Assert.All(findings, f => Assert.Equal("note", (string?)f["Severity"]));
        Assert.StartsWith("aws ssm delete-parameter --name team_b_Db_password", (string?)findings.Single(f => (string?)f["Subject"] == "team_b_Db_password")["Fix"]![0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_buildspec_passing_a_secret_to_docker_login_is_found_at_its_line_with_the_password_stdin_fix()
    {
        var finding = Assert.Single(Findings("secret-on-command-line"));

        Assert.Equal("codebuild/sample-python-flask-app/buildspec.yml", (string?)finding["File"]);
        Assert.Equal(9, (int?)finding["Line"]);
        Assert.Equal("echo \"$DOCKER_PASSWORD\" | docker login -u $DOCKER_USERNAME --password-stdin", (string?)finding["Fix"]![0]);
    }

    [Fact]
    public void No_value_appears_anywhere_in_the_report()
    {
        var text = _report.ToJsonString();

        foreach (var value in new[] { GitHubToken, SharedSecret, "your-password", "docker_username" })
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_report_needs_DescribeParameters_and_the_audit_read_and_GetParameter_rights_do_not_give_it()
    {
        var reader = await UserAsync("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameter","ssm:GetParameters","kms:Decrypt"],"Resource":"*"}]}""");
        var describer = await UserAsync("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:DescribeParameters","Resource":"*"}]}""");
        var auditor = await UserAsync("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:DescribeParameters","cloudtrail:LookupEvents"],"Resource":"*"}]}""");

        Assert.Contains("ssm:DescribeParameters", (await FailsAsync(() => SecretsAsync("GetSecretsReport", "{}", reader))).Message, StringComparison.Ordinal);
        Assert.Contains("cloudtrail:LookupEvents", (await FailsAsync(() => SecretsAsync("GetSecretsReport", "{}", describer))).Message, StringComparison.Ordinal);
        var report = await SecretsAsync("GetSecretsReport", "{}", auditor);
        Assert.Equal(_report["Findings"]!.AsArray().Count, report["Findings"]!.AsArray().Count);
    }

    [Fact]
    public async Task SecureStrings_under_a_key_the_caller_may_not_decrypt_are_not_compared_and_are_listed_with_the_statement()
    {
        var keyArn = (string)(await CallAsync("TrentService", "CreateKey", "{}"))["KeyMetadata"]!["Arn"]!;
        foreach (var name in new[] { "ops_Db_password", "ops_Cache_password" })
        {
            await SsmAsync("PutParameter", new JsonObject { ["Name"] = name, ["Value"] = "K3y-shared-0001", ["Type"] = "SecureString", ["KeyId"] = keyArn }.ToJsonString());
        }

        const string Reads = """{"Effect":"Allow","Action":["ssm:DescribeParameters","cloudtrail:LookupEvents"],"Resource":"*"}""";
        var denied = await UserAsync($$"""{"Version":"2012-10-17","Statement":[{{Reads}}]}""");
        var allowed = await UserAsync($$"""{"Version":"2012-10-17","Statement":[{{Reads}},{"Effect":"Allow","Action":"kms:Decrypt","Resource":"{{keyArn}}"}]}""");

        var deniedReport = await SecretsAsync("GetSecretsReport", "{}", denied);
        var allowedReport = await SecretsAsync("GetSecretsReport", "{}", allowed);

        List<JsonObject> Of(JsonObject report, string rule) => report["Findings"]!.AsArray().OfType<JsonObject>().Where(f => (string?)f["RuleId"] == rule).ToList();
        // The AWS managed key alias/aws/ssm needs no identity policy: team_a and team_b are still compared for both.
        var duplicate = Assert.Single(Of(deniedReport, "duplicate-secret"));
        Assert.Contains("team_a_Db_password, team_b_Db_password", (string?)duplicate["Message"], StringComparison.Ordinal);
        var note = Assert.Single(Of(deniedReport, "not-compared"));
        Assert.Equal("note", (string?)note["Severity"]);
        Assert.Equal(keyArn, (string?)note["Subject"]);
        Assert.Contains("2 SecureString(s) encrypted under " + keyArn + " were not compared", (string?)note["Message"], StringComparison.Ordinal);
        Assert.Contains("ops_Cache_password, ops_Db_password", (string?)note["Message"], StringComparison.Ordinal);
        Assert.Contains($"is not authorized to perform: kms:Decrypt on resource: {keyArn}", (string?)note["Evidence"], StringComparison.Ordinal);
        Assert.Contains($"\"Action\": \"kms:Decrypt\",\n  \"Resource\": \"{keyArn}\"", (string?)note["Note"], StringComparison.Ordinal);
        Assert.StartsWith("aws iam put-user-policy --user-name " + denied.Principal.Name, (string?)note["Fix"]![0], StringComparison.Ordinal);

        Assert.Empty(Of(allowedReport, "not-compared"));
        Assert.Equal(
            ["ops_Cache_password, ops_Db_password", "team_a_Db_password, team_b_Db_password"],
            Of(allowedReport, "duplicate-secret").Select(f => ((string)f["Message"]!).Split(": ")[1].TrimEnd('.')).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("K3y-shared-0001", deniedReport.ToJsonString() + allowedReport.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Days_outside_1_to_3650_are_a_ValidationException()
    {
        var error = await FailsAsync(() => SecretsAsync("GetSecretsReport", """{"MaxAgeDays":0}"""));

        Assert.Equal("ValidationException", error.Code);
    }
}
