using System.Text.Json.Nodes;
using Cairn.Application.Connections;
using Cairn.Application.Pipelines.Actions;
using Cairn.Application.Pipelines.Actions.Source;
using Cairn.Core.Identity;
using Cairn.Core.Pipelines;
using Cairn.Server.Tests.CodeConnections;

namespace Cairn.Server.Tests.PipelineSources;

/// <summary>The Source/CodeStarSourceConnection runner against real bare repositories served by a local host.</summary>
public sealed class SourceActionRunnerTests : ConnectionsFixture
{
    private const string RoleSession = "arn:aws:sts::000000000000:assumed-role/codepipeline-app/pipeline";
    private readonly DirectoryArtifactStore _artifacts;
    private readonly CodeStarSourceActionRunner _runner;

    public SourceActionRunnerTests()
    {
        _artifacts = new DirectoryArtifactStore(Path.Combine(Data, "artifacts"));
        _runner = new CodeStarSourceActionRunner(new ConnectionRepositories(Store, Policy), Authorizer, _artifacts);
    }

    private async Task<(GitRepository Repository, string ConnectionArn)> RepositoryAsync()
    {
        var repository = await GitRepository.CreateAsync(SourceRoot, "team/app.git", Data);
        var connection = await ConnectionAsync(await LocalHostAsync());
        return (repository, connection);
    }

    private static ActionRun Run(string connectionArn, string branch = "main", string format = "CODE_ZIP", SourceRevisionRequest? revision = null, string repository = "team/app.git") =>
        new(
            new RequestContext(new Principal(PrincipalKind.AssumedRole, Account, RoleSession, "AROAEXAMPLE:pipeline", "pipeline"), Region, "req", "127.0.0.1", DateTimeOffset.UtcNow),
            new PipelineScope(Account, Region), "app", 1, "exec-1", "Source", "Source", "act-1",
            new ActionTypeId("Source", "AWS", "CodeStarSourceConnection", "1"),
            new Dictionary<string, string>
            {
                ["ConnectionArn"] = connectionArn, ["FullRepositoryId"] = repository, ["BranchName"] = branch, ["OutputArtifactFormat"] = format,
            },
            [], ["SourceOutput"], "app-artifacts", "app/exec-1", "SourceVariables", null, null, revision);

    [Fact]
    public async Task The_branch_head_becomes_a_tree_without_git_and_AWSs_output_variables()
    {
        var (repository, connection) = await RepositoryAsync();
        var head = await repository.CommitAsync("Update the app\n\nWith a body.", ("src/app.py", "print('v2')\n"));
        var progress = new RecordingProgress();

        var outcome = await _runner.RunAsync(Run(connection), progress, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        var artifact = Assert.Single(outcome.Outputs);
        Assert.Equal("SourceOutput", artifact.Name);
        Assert.StartsWith("app/exec-1/", artifact.Location.Key, StringComparison.Ordinal);
        var tree = _artifacts.PathOf(artifact.Location);
        Assert.Equal("print('v2')\n", await File.ReadAllTextAsync(Path.Combine(tree, "src/app.py")));
        Assert.False(Directory.Exists(Path.Combine(tree, ".git")));
        Assert.Equal(head, outcome.OutputVariables["CommitId"]);
        Assert.Equal("main", outcome.OutputVariables["BranchName"]);
        Assert.Equal("Update the app\n\nWith a body.", outcome.OutputVariables["CommitMessage"]);
        Assert.True(DateTimeOffset.TryParse(outcome.OutputVariables["AuthorDate"], System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal(connection, outcome.OutputVariables["ConnectionArn"]);
        Assert.Equal("team/app.git", outcome.OutputVariables["FullRepositoryName"]);
        Assert.Equal(head, outcome.Revision!.RevisionId);
        Assert.Equal("Update the app", JsonNode.Parse(outcome.Revision.RevisionSummary!)!["CommitMessage"]!.GetValue<string>().Split('\n')[0]);
        Assert.Equal("Update the app", outcome.Summary);
        Assert.Equal(head, outcome.ExternalExecutionId);
        Assert.Contains(("codeconnections:UseConnection", connection), Authorizer.Calls);
    }

    [Fact]
    public async Task A_pinned_commit_is_fetched_instead_of_the_head()
    {
        var (repository, connection) = await RepositoryAsync();
        var first = await repository.HeadAsync();
        await repository.CommitAsync("second", ("src/app.py", "print('v2')\n"));

        var outcome = await _runner.RunAsync(Run(connection, revision: new SourceRevisionRequest("COMMIT_ID", first)), new RecordingProgress(), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        Assert.Equal(first, outcome.OutputVariables["CommitId"]);
        Assert.Equal("print('v1')\n", await File.ReadAllTextAsync(Path.Combine(_artifacts.PathOf(outcome.Outputs[0].Location), "src/app.py")));
    }

    [Fact]
    public async Task CODEBUILD_CLONE_REF_keeps_the_git_directory_at_the_commit()
    {
        var (repository, connection) = await RepositoryAsync();

        var outcome = await _runner.RunAsync(Run(connection, format: "CODEBUILD_CLONE_REF"), new RecordingProgress(), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        var tree = _artifacts.PathOf(outcome.Outputs[0].Location);
        Assert.True(Directory.Exists(Path.Combine(tree, ".git")));
        var head = await Cairn.Runner.Sources.GitRemote.HeadCommitAsync(tree, CancellationToken.None);
        Assert.Equal(await repository.HeadAsync(), head!.Id);
    }

    [Fact]
    public async Task An_unknown_branch_fails_naming_the_branches_there_are()
    {
        var (repository, connection) = await RepositoryAsync();
        await repository.BranchAsync("develop");
        await repository.CommitAsync("on develop", ("x.txt", "x"));

        var outcome = await _runner.RunAsync(Run(connection, branch: "mian"), new RecordingProgress(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal("JobFailed", outcome.ErrorCode);
        Assert.Contains("The branch 'mian' does not exist in team/app.git (its branches are: develop, main)", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(outcome.Outputs);
    }

    [Fact]
    public async Task A_pinned_commit_the_repository_does_not_have_fails_with_the_fix()
    {
        var (_, connection) = await RepositoryAsync();

        var outcome = await _runner.RunAsync(
            Run(connection, revision: new SourceRevisionRequest("COMMIT_ID", "0123456789abcdef0123456789abcdef01234567")), new RecordingProgress(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("The commit 0123456789abcdef0123456789abcdef01234567 that the execution pins is not in team/app.git", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_without_UseConnection_fails_with_AWSs_AccessDenied_and_the_statement_that_grants_it()
    {
        var (_, connection) = await RepositoryAsync();
        Authorizer.Denied.Add(("codeconnections:UseConnection", connection));
        Authorizer.Denied.Add(("codestar-connections:UseConnection", connection));

        var outcome = await _runner.RunAsync(Run(connection), new RecordingProgress(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal("AccessDeniedException", outcome.ErrorCode);
        Assert.Contains($"is not authorized to perform: codeconnections:UseConnection on resource: {connection}", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains($"{{\"Effect\":\"Allow\",\"Action\":\"codestar-connections:UseConnection\",\"Resource\":\"{connection}\"}}", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Either_services_UseConnection_is_enough()
    {
        var (_, connection) = await RepositoryAsync();
        Authorizer.Denied.Add(("codeconnections:UseConnection", connection));

        var outcome = await _runner.RunAsync(Run(connection), new RecordingProgress(), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
    }

    [Fact]
    public async Task A_connection_that_does_not_exist_fails_with_how_to_make_one()
    {
        var outcome = await _runner.RunAsync(
            Run("arn:aws:codeconnections:us-east-1:000000000000:connection/00000000-0000-0000-0000-000000000000"), new RecordingProgress(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("does not exist. Create one (aws codeconnections create-connection", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repository_id_that_climbs_out_of_the_host_directory_is_refused()
    {
        var (_, connection) = await RepositoryAsync();

        var outcome = await _runner.RunAsync(Run(connection, repository: "../../etc"), new RecordingProgress(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("is not a repository id", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_configuration_fails_naming_the_key()
    {
        var run = Run("arn:aws:codeconnections:us-east-1:000000000000:connection/x");
        run = run with { Configuration = new Dictionary<string, string> { ["ConnectionArn"] = "arn:aws:codeconnections:us-east-1:000000000000:connection/x", ["BranchName"] = "main" } };

        var outcome = await _runner.RunAsync(run, new RecordingProgress(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains("has no FullRepositoryId", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    private sealed class RecordingProgress : IActionProgress
    {
        public List<string> Lines { get; } = [];

        public Task ReportAsync(string? externalExecutionId, string? externalExecutionUrl, string? summary, CancellationToken cancellationToken) => Task.CompletedTask;

        public void Log(string line) => Lines.Add(line);
    }
}
