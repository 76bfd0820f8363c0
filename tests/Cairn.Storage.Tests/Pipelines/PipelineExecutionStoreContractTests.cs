using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Storage.Pipelines;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Pipelines;

/// <summary>What every IPipelineExecutionStore must do; each backend runs this suite through a subclass.</summary>
public abstract class PipelineExecutionStoreContractTests
{
    private static readonly PipelineScope Scope = new("111122223333", "us-east-1");
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    protected abstract IPipelineExecutionStore Store { get; }

    private static PipelineExecution Execution(string id, string pipeline = "app", string? token = null, string status = ExecutionStatuses.InProgress) =>
        new(Scope, pipeline, id, 1, status, null,
            new ExecutionTriggerRecord("StartPipelineExecution", "arn:aws:iam::111122223333:root", [new SourceRevisionPin("Fetch", "COMMIT_ID", "abc123")]),
            [new PipelineVariableValue("env", "prod")], ExecutionKinds.Superseded, ExecutionKinds.Standard, Start, Start, "Source", [], [],
            ClientRequestToken: token);

    private static ActionExecution Action(string id, string stage, string status) =>
        new(id, stage, "Build", 1, 1, new ActionTypeId("Build", "AWS", "CodeBuild", "1"), status, Start, Start.AddSeconds(5),
            new Dictionary<string, string> { ["ProjectName"] = "web" },
            [new ArtifactReference("src", "bucket", "app/e1/src.tar")], [new ArtifactReference("img", "bucket", "app/e1/img.tar")],
            new Dictionary<string, string> { ["IMAGE"] = "web:1" },
            Namespace: "BuildVariables", ErrorCode: "JobFailed", ErrorMessage: "the build failed", ExternalExecutionId: "web:42",
            Token: "tok", Revision: new SourceRevisionRecord("src", "abc123", "first commit", null, Start));

    [StoreFact]
    public async Task A_created_execution_is_read_back_whole_with_its_stages_actions_and_trigger()
    {
        var execution = Execution("e1") with
        {
            WaitingForStage = null,
            Stages = [new StageExecution("Build", ExecutionStatuses.InProgress, 1, 1, Start, Start)],
            Actions = [Action("a1", "Build", ExecutionStatuses.InProgress)],
        };

        await Store.CreateAsync(execution, CancellationToken.None);
        var found = await Store.GetAsync(Scope, "app", "e1", CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(execution.Trigger.TriggerType, found.Trigger.TriggerType);
        Assert.Equal(execution.Trigger.SourceRevisions, found.Trigger.SourceRevisions);
        Assert.Equal(execution.Variables, found.Variables);
        Assert.Equal(execution.Stages, found.Stages);
        var action = Assert.Single(found.Actions);
        Assert.Equal("web", action.Configuration["ProjectName"]);
        Assert.Equal("web:1", action.OutputVariables["IMAGE"]);
        Assert.Equal(execution.Actions[0].Inputs, action.Inputs);
        Assert.Equal(execution.Actions[0].Revision, action.Revision);
        Assert.Equal(new ActionTypeId("Build", "AWS", "CodeBuild", "1"), action.Type);
        Assert.Equal(Start, found.StartTime);
        Assert.Equal("InProgress", found.CurrentStage?.Status);
    }

    [StoreFact]
    public async Task A_saved_change_replaces_the_execution_and_moves_it_out_of_the_active_list()
    {
        await Store.CreateAsync(Execution("e1"), CancellationToken.None);
        Assert.Single(await Store.ListActiveAsync(null, null, CancellationToken.None));

        await Store.SaveAsync(Execution("e1", status: ExecutionStatuses.Succeeded) with { StatusSummary = "done" }, CancellationToken.None);

        Assert.Equal("done", (await Store.GetAsync(Scope, "app", "e1", CancellationToken.None))!.StatusSummary);
        Assert.Empty(await Store.ListActiveAsync(null, null, CancellationToken.None));
        Assert.Empty(await Store.ListActiveAsync(Scope, "app", CancellationToken.None));
    }

    [StoreFact]
    public async Task A_second_start_with_the_same_client_token_returns_the_first_execution_and_stores_nothing()
    {
        await Store.CreateAsync(Execution("e1", token: "t-1"), CancellationToken.None);

        var again = await Store.CreateAsync(Execution("e2", token: "t-1"), CancellationToken.None);
        var otherPipeline = await Store.CreateAsync(Execution("e3", pipeline: "other", token: "t-1"), CancellationToken.None);

        Assert.Equal("e1", again.ExecutionId);
        Assert.Equal("e3", otherPipeline.ExecutionId);
        Assert.Null(await Store.GetAsync(Scope, "app", "e2", CancellationToken.None));
    }

    [StoreFact]
    public async Task Executions_are_listed_newest_first_in_pages_and_active_ones_oldest_first()
    {
        foreach (var id in new[] { "e1", "e2", "e3" })
        {
            await Store.CreateAsync(Execution(id), CancellationToken.None);
        }

        await Store.CreateAsync(Execution("x1", pipeline: "other"), CancellationToken.None);

        Assert.Equal(["e3", "e2"], (await Store.ListAsync(Scope, "app", 0, 2, CancellationToken.None)).Select(e => e.ExecutionId));
        Assert.Equal(["e1"], (await Store.ListAsync(Scope, "app", 2, 2, CancellationToken.None)).Select(e => e.ExecutionId));
        Assert.Equal(["e1", "e2", "e3"], (await Store.ListActiveAsync(Scope, "app", CancellationToken.None)).Select(e => e.ExecutionId));
        Assert.Equal(4, (await Store.ListActiveAsync(null, null, CancellationToken.None)).Count);
        Assert.Empty(await Store.ListAsync(Scope with { Region = "eu-west-1" }, "app", 0, 10, CancellationToken.None));
    }

    [StoreFact]
    public async Task The_latest_execution_of_each_stage_is_the_one_that_entered_it_last_and_a_retry_enters_again()
    {
        StageExecution Stage(string name, int attempt) => new(name, ExecutionStatuses.Succeeded, attempt, 1, Start, Start);
        await Store.CreateAsync(Execution("e1") with { Stages = [Stage("Source", 1), Stage("Build", 1)] }, CancellationToken.None);
        await Store.CreateAsync(Execution("e2") with { Stages = [Stage("Source", 1)] }, CancellationToken.None);

        Assert.Equal("e2", (await Store.LatestStageExecutionsAsync(Scope, "app", CancellationToken.None))["Source"]);
        Assert.Equal("e1", (await Store.LatestStageExecutionsAsync(Scope, "app", CancellationToken.None))["Build"]);

        await Store.SaveAsync(Execution("e1") with { Stages = [Stage("Source", 1), Stage("Build", 1), Stage("Source", 2)] }, CancellationToken.None);

        Assert.Equal("e1", (await Store.LatestStageExecutionsAsync(Scope, "app", CancellationToken.None))["Source"]);
    }

    [StoreFact]
    public async Task Executions_are_found_by_id_alone_in_any_scope_and_pipeline_and_unknown_ids_are_left_out()
    {
        var elsewhere = new PipelineScope("444455556666", "eu-west-1");
        await Store.CreateAsync(Execution("e1"), CancellationToken.None);
        await Store.CreateAsync(Execution("e2", pipeline: "other"), CancellationToken.None);
        await Store.CreateAsync(Execution("e3") with { Scope = elsewhere }, CancellationToken.None);
        await Store.CreateAsync(Execution("e4"), CancellationToken.None);

        var found = await Store.FindAsync(["e1", "e2", "e3", "e1", "missing"], CancellationToken.None);

        Assert.Equal(["e1", "e2", "e3"], found.Select(e => e.ExecutionId).Order(StringComparer.Ordinal));
        Assert.Equal("other", found.Single(e => e.ExecutionId == "e2").PipelineName);
        Assert.Equal(elsewhere, found.Single(e => e.ExecutionId == "e3").Scope);
        Assert.Empty(await Store.FindAsync([], CancellationToken.None));
    }

    [StoreFact]
    public async Task Transitions_keep_their_last_change_and_deleting_the_pipeline_removes_executions_and_transitions()
    {
        await Store.CreateAsync(Execution("e1"), CancellationToken.None);
        await Store.SetTransitionAsync(Scope, "app", new StageTransition("Deploy", false, "freeze", "arn:aws:iam::111122223333:root", Start), CancellationToken.None);
        await Store.SetTransitionAsync(Scope, "app", new StageTransition("Deploy", true, null, "arn:aws:iam::111122223333:user/ops", Start.AddMinutes(1)), CancellationToken.None);

        var transition = Assert.Single(await Store.ListTransitionsAsync(Scope, "app", CancellationToken.None));
        Assert.Equal(new StageTransition("Deploy", true, null, "arn:aws:iam::111122223333:user/ops", Start.AddMinutes(1)), transition);

        await Store.DeletePipelineAsync(Scope, "app", CancellationToken.None);

        Assert.Null(await Store.GetAsync(Scope, "app", "e1", CancellationToken.None));
        Assert.Empty(await Store.ListTransitionsAsync(Scope, "app", CancellationToken.None));
        Assert.Empty(await Store.LatestStageExecutionsAsync(Scope, "app", CancellationToken.None));
    }
}
