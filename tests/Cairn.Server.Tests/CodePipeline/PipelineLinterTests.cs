using System.Text.Json.Nodes;
using Cairn.Application.Pipelines;
using Cairn.Core.Identity;
using Cairn.Core.Pipelines.Lint;
using Cairn.Server.Services.CodePipeline;
using Cairn.Server.Tests.Kms;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Pipelines;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Tests.CodePipeline;

/// <summary>`cairn pipeline lint`'s findings: what CreatePipeline rejects, variables, action configuration, and (with an environment) projects, roles and parameters.</summary>
public sealed class PipelineLinterTests : CodePipelineFixture
{
    private const string ProjectArn = "arn:aws:codebuild:us-east-1:000000000000:project/flask-app";
    private const string BuildRole = "arn:aws:iam::000000000000:role/codebuild-flask-app";

    [Fact]
    public async Task The_users_story_pipeline_has_no_findings()
    {
        var result = await LintAsync(StoryInput().ToJsonString());

        Assert.Empty(result.Diagnostics);
        Assert.NotNull(result.Declaration);
    }

    [Fact]
    public async Task Text_that_is_not_JSON_is_PL001_at_the_line_of_the_mistake()
    {
        var result = await LintAsync("{\n  \"pipeline\": {\n    \"name\": \"x\",,\n  }\n}");

        var finding = Assert.Single(result.Diagnostics);
        Assert.Equal(PipelineDiagnosticCodes.JsonSyntax, finding.Code);
        Assert.Equal(3, finding.Location.Line);
    }

    [Fact]
    public async Task A_file_without_stages_is_PL002()
    {
        var finding = Assert.Single((await LintAsync("""{"name": "x"}""")).Diagnostics);

        Assert.Equal(PipelineDiagnosticCodes.NotAPipeline, finding.Code);
    }

    [Fact]
    public async Task What_CreatePipeline_rejects_is_PL003_with_AWSs_code_and_text_at_the_action_it_names()
    {
        var pipeline = Story();
        Action(pipeline, "Deploy", "Deploy")["inputArtifacts"] = Artifacts("BuildArtefact");

        var finding = Assert.Single((await LintAsync(Input(pipeline))).Diagnostics);

        Assert.Equal(PipelineDiagnosticCodes.Rejected, finding.Code);
        Assert.Equal("InvalidStructureException", finding.AwsStatusCode);
        Assert.Contains("BuildArtefact", finding.Message, StringComparison.Ordinal);
        Assert.Equal("pipeline.stages[3].actions[0]", finding.Path.Split(".inputArtifacts")[0]);
        Assert.True(finding.Location.Line > 1);
    }

    [Fact]
    public async Task A_namespace_typo_is_PL102_with_did_you_mean()
    {
        var pipeline = Story();
        Action(pipeline, "Approve", "Manual")["configuration"]!["CustomData"] = "Deploy #{SourceVariable.CommitId}?";

        var finding = Assert.Single((await LintAsync(Input(pipeline))).Diagnostics);

        Assert.Equal(PipelineDiagnosticCodes.UnknownNamespace, finding.Code);
        Assert.Equal("pipeline.stages[2].actions[0].configuration.CustomData", finding.Path);
        Assert.Equal("did you mean #{SourceVariables.CommitId}?", finding.Hint);
    }

    [Fact]
    public async Task An_action_named_like_the_namespace_but_without_one_is_told_to_declare_it()
    {
        var pipeline = Story();
        Action(pipeline, "Source", "Source").Remove("namespace");
        Action(pipeline, "Approve", "Manual")["configuration"]!["CustomData"] = "Deploy #{Source.CommitId}?";

        var finding = Assert.Single((await LintAsync(Input(pipeline))).Diagnostics);

        Assert.Equal(PipelineDiagnosticCodes.UnknownNamespace, finding.Code);
        Assert.Contains("\"namespace\": \"Source\"", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_variable_of_an_action_that_runs_later_or_alongside_is_PL103()
    {
        var pipeline = Story();
        Action(pipeline, "Build", "Build")["configuration"]!["EnvironmentVariables"] = """[{"name":"A","value":"#{BuildVariables.X}"}]""";
        Action(pipeline, "Approve", "Manual")["namespace"] = "ApproveVariables";
        Action(pipeline, "Build", "Build")["configuration"]!["ProjectName"] = "#{ApproveVariables.Project}";

        var findings = (await LintAsync(Input(pipeline))).Diagnostics;

        Assert.All(findings, f => Assert.Equal(PipelineDiagnosticCodes.VariableNotYetSet, f.Code));
        Assert.Contains(findings, f => f.Message.Contains("is this action's own", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.Contains("which runs later", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Same_stage_with_the_same_runOrder_is_PL103_and_a_lower_runOrder_fixes_it()
    {
        var pipeline = Story();
        var stage = Stage(pipeline, "Approve");
        stage["actions"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "Second",
            ["actionTypeId"] = TypeId("Approval", "Manual"),
            ["configuration"] = new JsonObject { ["CustomData"] = "#{ApproveVariables.X}" },
        });
        Action(pipeline, "Approve", "Manual")["namespace"] = "ApproveVariables";

        var finding = Assert.Single((await LintAsync(Input(pipeline))).Diagnostics);
        Assert.Equal(PipelineDiagnosticCodes.VariableNotYetSet, finding.Code);
        Assert.Contains("same runOrder", finding.Message, StringComparison.Ordinal);

        Action(pipeline, "Approve", "Second")["runOrder"] = 2;
        Assert.Empty((await LintAsync(Input(pipeline))).Diagnostics);
    }

    [Fact]
    public async Task Pipeline_and_codepipeline_variables_are_checked_and_malformed_references_found()
    {
        var pipeline = Story();
        Action(pipeline, "Approve", "Manual")["configuration"]!["CustomData"] = "#{variables.ImageTagg} #{codepipeline.ExecutionId} #{broken";

        var findings = (await LintAsync(Input(pipeline))).Diagnostics;

        var variable = Assert.Single(findings, f => f.Code == PipelineDiagnosticCodes.UnknownPipelineVariable);
        Assert.Equal("did you mean #{variables.ImageTag}?", variable.Hint);
        Assert.Single(findings, f => f.Code == PipelineDiagnosticCodes.UnknownCodePipelineVariable);
        Assert.Single(findings, f => f.Code == PipelineDiagnosticCodes.MalformedVariable && f.Message.Contains("'#{broken'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_source_variable_that_the_provider_does_not_set_is_a_PL106_warning_with_did_you_mean()
    {
        var pipeline = Story();
        Action(pipeline, "Approve", "Manual")["configuration"]!["CustomData"] = "#{SourceVariables.CommitID}";

        var finding = Assert.Single((await LintAsync(Input(pipeline))).Diagnostics);

        Assert.Equal(PipelineDiagnosticCodes.UnknownOutputVariable, finding.Code);
        Assert.False(finding.IsError);
        Assert.Equal("did you mean #{SourceVariables.CommitId}?", finding.Hint);
    }

    [Fact]
    public async Task A_provider_Cairn_does_not_run_is_a_PL107_warning_naming_what_to_use()
    {
        var pipeline = Story();
        Action(pipeline, "Deploy", "Deploy")["actionTypeId"] = TypeId("Deploy", "CodeDeploy");
        Action(pipeline, "Deploy", "Deploy")["configuration"] = new JsonObject { ["ApplicationName"] = "a", ["DeploymentGroupName"] = "g" };

        var finding = Assert.Single((await LintAsync(Input(pipeline))).Diagnostics);

        Assert.Equal(PipelineDiagnosticCodes.ProviderNotInCairn, finding.Code);
        Assert.Contains("provider CodeDeploy", finding.Message, StringComparison.Ordinal);
        Assert.Contains("ECS", finding.Hint, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "is not valid JSON")]
    [InlineData("{\"name\":\"A\"}", "is not a JSON array")]
    [InlineData("[{\"name\":\"A\"}]", "without a name and a value")]
    [InlineData("[{\"name\":\"A\",\"value\":\"v\",\"type\":\"PLAIN\"}]", "has type 'PLAIN'")]
    [InlineData("[{\"name\":\"A\",\"value\":\"v\",\"type\":\"SECRETS_MANAGER\"}]", "SECRETS_MANAGER, which Cairn does not have")]
    public async Task CodeBuild_EnvironmentVariables_that_a_build_cannot_take_are_PL108(string variables, string expected)
    {
        var pipeline = Story();
        Action(pipeline, "Build", "Build")["configuration"]!["EnvironmentVariables"] = variables;

        var finding = Assert.Single((await LintAsync(Input(pipeline))).Diagnostics);

        Assert.Equal(PipelineDiagnosticCodes.BadEnvironmentVariables, finding.Code);
        Assert.Contains(expected, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_environment_a_missing_project_is_PL201_with_did_you_mean()
    {
        var environment = StoryEnvironment();
        environment.Projects.Remove("flask-app");
        environment.Names.Add("flask-ap");

        var finding = Assert.Single((await LintAsync(StoryInput().ToJsonString(), environment)).Diagnostics);

        Assert.Equal(PipelineDiagnosticCodes.ProjectNotFound, finding.Code);
        Assert.Equal("did you mean flask-ap?", finding.Hint);
    }

    [Fact]
    public async Task With_an_environment_the_pipeline_roles_missing_codebuild_permissions_are_PL202_with_the_statement_and_command()
    {
        var environment = StoryEnvironment();
        environment.Denied.Add((Role, "codebuild:StartBuild", ProjectArn));

        var finding = Assert.Single((await LintAsync(StoryInput().ToJsonString(), environment)).Diagnostics);

        Assert.Equal(PipelineDiagnosticCodes.PipelineRoleMissingPermission, finding.Code);
        Assert.Contains($"not allowed codebuild:StartBuild on {ProjectArn}", finding.Message, StringComparison.Ordinal);
        Assert.Contains("aws iam put-role-policy --role-name codepipeline-flask-app", finding.Hint, StringComparison.Ordinal);
        Assert.Contains($"\"Action\":\"codebuild:StartBuild\",\"Resource\":\"{ProjectArn}\"", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_environment_parameters_must_exist_and_the_build_role_must_read_them()
    {
        var pipeline = Story();
        Action(pipeline, "Build", "Build")["configuration"]!["EnvironmentVariables"] =
            """[{"name":"PASSWORD","value":"/registry/password","type":"PARAMETER_STORE"},{"name":"GONE","value":"/registry/gone","type":"PARAMETER_STORE"}]""";
        var environment = StoryEnvironment();
        environment.Parameters.Add("/registry/password");
        environment.Denied.Add((BuildRole, "ssm:GetParameters", "arn:aws:ssm:us-east-1:000000000000:parameter/registry/password"));

        var findings = (await LintAsync(Input(pipeline), environment)).Diagnostics;

        Assert.Single(findings, f => f.Code == PipelineDiagnosticCodes.ParameterNotFound && f.Message.Contains("/registry/gone", StringComparison.Ordinal));
        var denied = Assert.Single(findings, f => f.Code == PipelineDiagnosticCodes.BuildRoleMissingPermission);
        Assert.Contains("--role-name codebuild-flask-app", denied.Hint, StringComparison.Ordinal);
        Assert.Equal(2, findings.Count);
    }

    [Fact]
    public async Task With_an_environment_a_missing_pipeline_role_is_PL205_and_nothing_else_is_asked()
    {
        var environment = StoryEnvironment();
        environment.Roles.Remove(Role);

        var finding = Assert.Single((await LintAsync(StoryInput().ToJsonString(), environment)).Diagnostics);

        Assert.Equal(PipelineDiagnosticCodes.RoleNotFound, finding.Code);
        Assert.Contains("codepipeline.amazonaws.com", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_environment_that_cannot_tell_adds_no_findings()
    {
        var environment = StoryEnvironment();
        environment.Unknown = true;

        Assert.Empty((await LintAsync(StoryInput().ToJsonString(), environment)).Diagnostics);
    }

    [Fact]
    public async Task CreatePipeline_and_UpdatePipeline_accept_a_pipeline_with_findings_and_log_each_with_its_fix()
    {
        var directory = Directory.CreateTempSubdirectory("cairn-pipeline-lint-log-").FullName;
        try
        {
            using var logs = new CapturingLoggerProvider();
            using var factory = new LoggerFactory([logs]);
            var database = SqliteDatabase.Open(Path.Combine(directory, "cairn.db"), [PipelineMigrations.Set]);
            var service = new CodePipelineService(new PipelineService(new SqlitePipelineStore(database), Authorizer, Time), logger: factory.CreateLogger<CodePipelineService>());
            var context = new RequestContext(new Principal(PrincipalKind.User, Account, "arn:aws:iam::000000000000:user/ci", "AIDAEXAMPLE", "ci"), Region, "req-1", "127.0.0.1", Start);
            var pipeline = Story();
            Action(pipeline, "Approve", "Manual")["configuration"]!["CustomData"] = "Deploy #{SourceVariable.CommitId}?";

            await service.InvokeAsync("CreatePipeline", new JsonObject { ["pipeline"] = pipeline.DeepClone() }, context, CancellationToken.None);
            await service.InvokeAsync("UpdatePipeline", new JsonObject { ["pipeline"] = pipeline.DeepClone() }, context, CancellationToken.None);

            var lines = logs.Lines.Where(l => l.Contains("PL102", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, lines.Count);
            Assert.Contains("CreatePipeline flask-app (version 1): PL102 at stages[2].actions[0].configuration.CustomData", lines[0], StringComparison.Ordinal);
            Assert.Contains("did you mean #{SourceVariables.CommitId}?", lines[0], StringComparison.Ordinal);
            Assert.Contains("UpdatePipeline flask-app (version 2)", lines[1], StringComparison.Ordinal);
            database.Dispose();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Input(JsonObject pipeline) => new JsonObject { ["pipeline"] = pipeline.DeepClone() }.ToJsonString(new() { WriteIndented = true });

    private static Task<PipelineLintResult> LintAsync(string text, IPipelineLintEnvironment? environment = null) =>
        PipelineLinter.LintAsync(text, new PipelineLintOptions(input => PipelineDeclarationCheck.Check(input, Region)) { Environment = environment }, CancellationToken.None);

    private static FakeEnvironment StoryEnvironment()
    {
        var environment = new FakeEnvironment();
        environment.Projects["flask-app"] = new LintProject("flask-app", ProjectArn, BuildRole, new Dictionary<string, string>());
        environment.Roles.Add(Role);
        environment.Roles.Add(BuildRole);
        return environment;
    }

    private sealed class FakeEnvironment : IPipelineLintEnvironment
    {
        public Dictionary<string, LintProject> Projects { get; } = [];

        public List<string> Names { get; } = [];

        public HashSet<string> Roles { get; } = [];

        public HashSet<string> Parameters { get; } = [];

        public HashSet<(string Principal, string Action, string Resource)> Denied { get; } = [];

        public bool Unknown { get; set; }

        public string AccountId => Account;

        public string Region => CodePipelineFixture.Region;

        public Task<LintProject?> FindProjectAsync(string projectName, CancellationToken cancellationToken) =>
            Task.FromResult(Projects.GetValueOrDefault(projectName));

        public Task<IReadOnlyList<string>> ListProjectNamesAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<string>>([.. Projects.Keys, .. Names]);

        public Task<bool?> RoleExistsAsync(string roleArn, CancellationToken cancellationToken) =>
            Task.FromResult(Unknown ? null : (bool?)Roles.Contains(roleArn));

        public Task<bool?> IsAllowedAsync(string principalArn, string action, string resourceArn, CancellationToken cancellationToken) =>
            Task.FromResult(Unknown ? null : (bool?)!Denied.Contains((principalArn, action, resourceArn)));

        public Task<bool?> ParameterExistsAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult(Unknown ? null : (bool?)Parameters.Contains(name));
    }
}
