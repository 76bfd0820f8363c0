using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.CodePipeline;

/// <summary>
/// `cairn pipeline lint` against a real Cairn (--data): projects, the pipeline role's and the build role's permissions
/// (IAM's SimulatePrincipalPolicy) and parameters, each finding with the command that fixes it; no secret is printed.
/// </summary>
public sealed class PipelineLintCommandTests(CairnFixture cairn) : IClassFixture<CairnFixture>, IDisposable
{
    private const string PipelineTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codepipeline.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string BuildTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-pipeline-lint-").FullName;

    private string Account => cairn.Server.Options.AccountId;

    [Fact]
    public async Task Lint_with_a_data_directory_names_missing_permissions_and_parameters_with_their_fixes()
    {
        (await cairn.Aws("iam", "create-role", "--role-name", "lint-pipeline-role", "--assume-role-policy-document", PipelineTrust)).Ok();
        (await cairn.Aws("iam", "put-role-policy", "--role-name", "lint-pipeline-role", "--policy-name", "follow",
            "--policy-document", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:BatchGetBuilds","codestar-connections:UseConnection"],"Resource":"*"}]}""")).Ok();
        (await cairn.Aws("iam", "create-role", "--role-name", "lint-build-role", "--assume-role-policy-document", BuildTrust)).Ok();
        var buildRole = $"arn:aws:iam::{Account}:role/lint-build-role";
        (await cairn.Aws("codebuild", "create-project", "--name", "lint-app",
            "--source", """{"type":"NO_SOURCE","buildspec":"version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n"}""",
            "--artifacts", "type=NO_ARTIFACTS", "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
            "--service-role", buildRole)).Ok();
        (await cairn.Aws("ssm", "put-parameter", "--name", "/lint/pipeline/password", "--value", "PipelineLintSecret42", "--type", "SecureString")).Ok();

        var input = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "flask-app-pipeline.json")))!.AsObject();
        var pipeline = input["pipeline"]!.AsObject();
        pipeline["roleArn"] = $"arn:aws:iam::{Account}:role/lint-pipeline-role";
        var build = pipeline["stages"]![1]!["actions"]![0]!["configuration"]!.AsObject();
        build["ProjectName"] = "lint-app";
        build["EnvironmentVariables"] =
            """[{"name":"PASSWORD","value":"/lint/pipeline/password","type":"PARAMETER_STORE"},{"name":"GONE","value":"/lint/pipeline/gone","type":"PARAMETER_STORE"}]""";
        var file = Path.Combine(_directory, "pipeline.json");
        await File.WriteAllTextAsync(file, input.ToJsonString(new() { WriteIndented = true }));

        var result = await ClientProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "cairn"), ["pipeline", "lint", "--data", cairn.DataDirectory, file], new Dictionary<string, string>());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error PL202", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"is not allowed codebuild:StartBuild on arn:aws:codebuild:us-east-1:{Account}:project/lint-app", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("not allowed codebuild:BatchGetBuilds", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("aws iam put-role-policy --role-name lint-pipeline-role", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("error PL204", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("/lint/pipeline/gone, which does not exist", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"error PL203: action 'Build' in stage 'Build': project lint-app's service role (for PASSWORD) {buildRole} is not allowed ssm:GetParameters", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("PipelineLintSecret42", result.Stdout + result.Stderr, StringComparison.Ordinal);

        // The same file alone: no environment findings, and the summary says what was not checked.
        var offline = await ClientProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "cairn"), ["pipeline", "lint", "--offline", file], new Dictionary<string, string>());
        Assert.Equal(0, offline.ExitCode);
        Assert.Contains("no problems found (the file alone", offline.Stdout, StringComparison.Ordinal);

        var json = await ClientProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "cairn"), ["pipeline", "lint", "--data", cairn.DataDirectory, "--format", "json", file], new Dictionary<string, string>());
        var report = JsonNode.Parse(json.Stdout)!.AsObject();
        Assert.Equal(3, report["errors"]!.GetValue<int>());
        Assert.All(report["diagnostics"]!.AsArray(), d => Assert.True(d!["line"]!.GetValue<int>() > 1));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
