using System.Text.Json.Nodes;
using Cairn.Application.Connections;
using Cairn.Application.Pipelines.Actions;
using Cairn.Application.Pipelines.Actions.Source;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Pipelines;
using Cairn.Server.Tests.CodeConnections;

namespace Cairn.Server.Tests.PipelineSources;

/// <summary>Change detection over real repositories and a real pipeline store, with a fake engine that records what it is asked to start.</summary>
public sealed class SourceChangeDetectorTests : ConnectionsFixture
{
    private static readonly PipelineScope Scope = new(Account, Region);
    private readonly FakeExecutions _executions = new();

    private SourceChangeDetector Detector() => new(Pipelines, Store, new ConnectionRepositories(Store, Policy), _executions);

    private async Task<(GitRepository Repository, string Connection)> RepositoryAsync(string id = "team/app.git")
    {
        var repository = await GitRepository.CreateAsync(SourceRoot, id, Data);
        return (repository, await ConnectionAsync(await LocalHostAsync()));
    }

    private async Task PipelineAsync(string connection, string name = "app", string? detectChanges = null, JsonArray? triggers = null, string repository = "team/app.git")
    {
        var configuration = new JsonObject { ["ConnectionArn"] = connection, ["FullRepositoryId"] = repository, ["BranchName"] = "main" };
        if (detectChanges is not null)
        {
            configuration["DetectChanges"] = detectChanges;
        }

        var declaration = new JsonObject
        {
            ["name"] = name,
            ["pipelineType"] = triggers is null ? "V1" : "V2",
            ["stages"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = "Source",
                    ["actions"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "Code",
                        ["actionTypeId"] = new JsonObject { ["category"] = "Source", ["owner"] = "AWS", ["provider"] = "CodeStarSourceConnection", ["version"] = "1" },
                        ["configuration"] = configuration,
                    }),
                },
                new JsonObject { ["name"] = "Approve", ["actions"] = new JsonArray() }),
        };
        if (triggers is not null)
        {
            declaration["triggers"] = triggers;
        }

        var now = DateTimeOffset.UtcNow;
        Assert.True(await Pipelines.CreateAsync(new PipelineRecord(Scope, name, declaration.ToJsonString(), 1, now, now, []), CancellationToken.None));
    }

    private static JsonArray Push(JsonObject filter) => new(new JsonObject
    {
        ["providerType"] = "CodeStarSourceConnection",
        ["gitConfiguration"] = new JsonObject { ["sourceActionName"] = "Code", ["push"] = new JsonArray(filter) },
    });

    private static JsonObject Globs(string[]? includes = null, string[]? excludes = null)
    {
        var set = new JsonObject();
        if (includes is not null)
        {
            set["includes"] = new JsonArray(includes.Select(i => (JsonNode)i).ToArray());
        }

        if (excludes is not null)
        {
            set["excludes"] = new JsonArray(excludes.Select(i => (JsonNode)i).ToArray());
        }

        return set;
    }

    [Fact]
    public async Task The_first_pass_only_records_and_a_new_commit_starts_the_pipeline_once_pinned_to_it()
    {
        var (repository, connection) = await RepositoryAsync();
        await PipelineAsync(connection);

        await Detector().PollAsync(null, CancellationToken.None);
        Assert.Empty(_executions.Started);

        var commit = await repository.CommitAsync("change", ("src/app.py", "print('v2')\n"));
        var events = await Detector().PollAsync(null, CancellationToken.None);
        await Detector().PollAsync(null, CancellationToken.None);

        var started = Assert.Single(_executions.Started);
        Assert.Equal("app", started.Pipeline);
        Assert.Equal(Scope, started.Scope);
        Assert.Equal("Webhook", started.Trigger.TriggerType);
        Assert.Equal(connection, started.Trigger.TriggerDetail);
        Assert.Equal(new SourceRevisionRequest("COMMIT_ID", commit), started.Trigger.SourceRevisions["Code"]);
        var happened = Assert.Single(events);
        Assert.Equal("exec-1", happened.ExecutionId);
        Assert.Equal("refs/heads/main", happened.Ref);
    }

    [Fact]
    public async Task Commits_on_other_branches_do_not_start_a_pipeline_without_triggers()
    {
        var (repository, connection) = await RepositoryAsync();
        await PipelineAsync(connection);
        await Detector().PollAsync(null, CancellationToken.None);

        await repository.BranchAsync("feature/x");
        await repository.CommitAsync("feature", ("x.txt", "x"));
        await Detector().PollAsync(null, CancellationToken.None);

        Assert.Empty(_executions.Started);
    }

    [Fact]
    public async Task DetectChanges_false_is_never_polled()
    {
        var (repository, connection) = await RepositoryAsync();
        await PipelineAsync(connection, detectChanges: "false");

        await Detector().PollAsync(null, CancellationToken.None);
        await repository.CommitAsync("change", ("a.txt", "a"));
        await Detector().PollAsync(null, CancellationToken.None);

        Assert.Empty(_executions.Started);
        Assert.Empty(await Store.GetSeenRevisionsAsync(Scope, "app", "Code", CancellationToken.None));
    }

    [Fact]
    public async Task What_was_seen_survives_a_restart_so_a_seen_commit_does_not_start_again()
    {
        var (repository, connection) = await RepositoryAsync();
        await PipelineAsync(connection);
        await Detector().PollAsync(null, CancellationToken.None);
        await repository.CommitAsync("change", ("a.txt", "a"));
        await Detector().PollAsync(null, CancellationToken.None);

        // A new detector over the same database is what a restarted server has.
        await Detector().PollAsync(null, CancellationToken.None);

        Assert.Single(_executions.Started);
    }

    [Fact]
    public async Task A_start_the_engine_refuses_is_tried_again_on_the_next_pass()
    {
        var (repository, connection) = await RepositoryAsync();
        await PipelineAsync(connection);
        await Detector().PollAsync(null, CancellationToken.None);
        var commit = await repository.CommitAsync("change", ("a.txt", "a"));

        _executions.FailNext = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Detector().PollAsync(null, CancellationToken.None));
        await Detector().PollAsync(null, CancellationToken.None);

        Assert.Equal(commit, Assert.Single(_executions.Started).Trigger.SourceRevisions["Code"].RevisionValue);
    }

    [Fact]
    public async Task A_trigger_on_release_branches_starts_for_them_and_not_for_main()
    {
        var (repository, connection) = await RepositoryAsync();
        await PipelineAsync(connection, triggers: Push(new JsonObject { ["branches"] = Globs(["release/*"]) }));
        await Detector().PollAsync(null, CancellationToken.None);

        await repository.CommitAsync("on main", ("a.txt", "a"));
        var onMain = await Detector().PollAsync(null, CancellationToken.None);
        await repository.BranchAsync("release/1.0");
        var release = await repository.CommitAsync("release", ("b.txt", "b"));
        await Detector().PollAsync(null, CancellationToken.None);

        Assert.Empty(onMain);
        var started = Assert.Single(_executions.Started);
        Assert.Equal("WebhookV2", started.Trigger.TriggerType);
        Assert.Equal(release, started.Trigger.SourceRevisions["Code"].RevisionValue);
    }

    [Fact]
    public async Task File_path_filters_start_only_for_a_change_to_an_included_file_that_is_not_excluded()
    {
        var (repository, connection) = await RepositoryAsync();
        await PipelineAsync(connection, triggers: Push(new JsonObject
        {
            ["branches"] = Globs(["main"]), ["filePaths"] = Globs(["src/**"], ["**/*.md"]),
        }));
        await Detector().PollAsync(null, CancellationToken.None);

        await repository.CommitAsync("docs", ("README.md", "more\n"), ("src/NOTES.md", "notes\n"));
        await Detector().PollAsync(null, CancellationToken.None);
        Assert.Empty(_executions.Started);

        await repository.CommitAsync("docs again", ("README.md", "even more\n"));
        var code = await repository.CommitAsync("code", ("src/lib/util.py", "x = 1\n"));
        await Detector().PollAsync(null, CancellationToken.None);

        Assert.Equal(code, Assert.Single(_executions.Started).Trigger.SourceRevisions["Code"].RevisionValue);
    }

    [Fact]
    public async Task A_tag_trigger_starts_for_a_matching_new_tag_and_not_for_branch_commits()
    {
        var (repository, connection) = await RepositoryAsync();
        await PipelineAsync(connection, triggers: Push(new JsonObject { ["tags"] = Globs(["v*"], ["v*-rc"]) }));
        await Detector().PollAsync(null, CancellationToken.None);

        var tagged = await repository.CommitAsync("release", ("a.txt", "a"));
        await repository.TagAsync("v1.0-rc");
        await Detector().PollAsync(null, CancellationToken.None);
        await repository.TagAsync("v1.0");
        await Detector().PollAsync(null, CancellationToken.None);

        var started = Assert.Single(_executions.Started);
        Assert.Equal(tagged, started.Trigger.SourceRevisions["Code"].RevisionValue);
    }

    [Fact]
    public async Task A_pass_for_a_named_repository_looks_only_at_the_pipelines_that_use_it()
    {
        var (app, connection) = await RepositoryAsync();
        var other = await GitRepository.CreateAsync(SourceRoot, "team/other.git", Data);
        await PipelineAsync(connection, "app");
        await PipelineAsync(connection, "other", repository: "team/other.git");
        await Detector().PollAsync(null, CancellationToken.None);
        await app.CommitAsync("app change", ("a.txt", "a"));
        await other.CommitAsync("other change", ("a.txt", "a"));

        await Detector().PollAsync("team/other", CancellationToken.None);
        var afterHint = _executions.Started.Select(s => s.Pipeline).ToList();
        await Detector().PollAsync(Path.Combine(SourceRoot, "team/app.git"), CancellationToken.None);

        Assert.Equal(["other"], afterHint);
        Assert.Equal(["other", "app"], _executions.Started.Select(s => s.Pipeline));
    }

    [Fact]
    public async Task A_source_that_cannot_be_read_is_reported_and_the_others_are_still_polled()
    {
        var (repository, connection) = await RepositoryAsync();
        await PipelineAsync(connection, "broken", repository: "team/missing.git");
        await PipelineAsync(connection, "app");
        await Detector().PollAsync(null, CancellationToken.None);
        await repository.CommitAsync("change", ("a.txt", "a"));

        var events = await Detector().PollAsync(null, CancellationToken.None);

        Assert.Contains(events, e => e.PipelineName == "broken" && e.Problem!.Contains("git ls-remote of team/missing.git failed", StringComparison.Ordinal));
        Assert.Equal("app", Assert.Single(_executions.Started).Pipeline);
    }

    private sealed class FakeExecutions : IPipelineExecutions
    {
        public List<(PipelineScope Scope, string Pipeline, ExecutionTrigger Trigger)> Started { get; } = [];

        public bool FailNext { get; set; }

        public Task<string?> StartByTriggerAsync(PipelineScope scope, string pipelineName, ExecutionTrigger trigger, CancellationToken cancellationToken)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("the engine could not store the execution");
            }

            Started.Add((scope, pipelineName, trigger));
            return Task.FromResult<string?>($"exec-{Started.Count}");
        }
    }
}
