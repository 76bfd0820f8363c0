using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Pipelines.Executions;

namespace Cairn.Server.Tests.CodePipeline.Engine;

/// <summary>The engine's rules with fake runners: ordering, execution modes, stop, retry, rollback, variables, the pipeline's role.</summary>
public sealed class PipelineEngineTests : EngineFixture
{
    [Fact]
    public async Task Actions_of_one_runOrder_run_together_and_the_next_group_starts_only_after_they_all_succeeded()
    {
        var pipeline = await PipelineAsync("groups", "SUPERSEDED", null, Stage("Build", Build("A", 1), Build("B", 1), Build("C", 2)));

        var execution = await StartAsync(pipeline);
        var a = await Held.NextAsync("A");
        var b = await Held.NextAsync("B");
        a.Succeed();
        await UntilAsync(execution, e => Action(e, "A").Status == ExecutionStatuses.Succeeded);

        Assert.DoesNotContain((await GetAsync(execution)).Actions, x => x.ActionName == "C");
        b.Succeed();
        (await Held.NextAsync("C")).Succeed();

        var done = await UntilStatusAsync(execution, ExecutionStatuses.Succeeded);
        Assert.Equal(["Source", "Build"], done.Stages.Select(s => s.StageName));
        Assert.All(done.Stages, s => Assert.Equal(ExecutionStatuses.Succeeded, s.Status));
        Assert.True(Action(done, "C").StartTime >= Action(done, "B").LastUpdateTime);
    }

    [Fact]
    public async Task In_SUPERSEDED_mode_a_newer_execution_waiting_for_a_stage_supersedes_the_older_one_waiting_there()
    {
        var pipeline = await PipelineAsync("superseded", "SUPERSEDED", null, Stage("Build", Build("Compile")));
        var first = await StartAsync(pipeline);
        var running = await Held.NextAsync("Compile");

        var second = await StartAsync(pipeline);
        await UntilAsync(second, e => e.WaitingForStage == "Build");
        var third = await StartAsync(pipeline);

        var superseded = await UntilStatusAsync(second, ExecutionStatuses.Superseded);
        Assert.Contains(third.ExecutionId, superseded.StatusSummary);
        Assert.Equal("Build", (await UntilAsync(third, e => e.WaitingForStage == "Build")).WaitingForStage);

        running.Succeed();
        await UntilStatusAsync(first, ExecutionStatuses.Succeeded);
        var next = await Held.NextAsync("Compile");
        Assert.Equal(third.ExecutionId, next.Run.ExecutionId);
        next.Succeed();
        await UntilStatusAsync(third, ExecutionStatuses.Succeeded);
        Assert.Equal(ExecutionStatuses.Superseded, (await GetAsync(second)).Status);
    }

    [Fact]
    public async Task In_QUEUED_mode_waiting_executions_enter_the_stage_one_by_one_in_the_order_they_started()
    {
        var pipeline = await PipelineAsync("queued", "QUEUED", null, Stage("Build", Build("Compile")));
        var first = await StartAsync(pipeline);
        var running = await Held.NextAsync("Compile");
        var second = await StartAsync(pipeline);
        await UntilAsync(second, e => e.WaitingForStage == "Build");
        var third = await StartAsync(pipeline);
        await UntilAsync(third, e => e.WaitingForStage == "Build");

        running.Succeed();
        var next = await Held.NextAsync("Compile");
        Assert.Equal(second.ExecutionId, next.Run.ExecutionId);
        Assert.Equal("Build", (await GetAsync(third)).WaitingForStage);
        next.Succeed();
        var last = await Held.NextAsync("Compile");
        Assert.Equal(third.ExecutionId, last.Run.ExecutionId);
        last.Succeed();

        foreach (var execution in new[] { first, second, third })
        {
            await UntilStatusAsync(execution, ExecutionStatuses.Succeeded);
        }
    }

    [Fact]
    public async Task In_PARALLEL_mode_executions_run_the_same_stage_at_the_same_time()
    {
        var pipeline = await PipelineAsync("parallel", "PARALLEL", null, Stage("Build", Build("Compile")));
        var first = await StartAsync(pipeline);
        var second = await StartAsync(pipeline);

        var one = await Held.NextAsync("Compile");
        var two = await Held.NextAsync("Compile");

        Assert.NotEqual(one.Run.ExecutionId, two.Run.ExecutionId);
        two.Succeed();
        one.Succeed();
        await UntilStatusAsync(first, ExecutionStatuses.Succeeded);
        await UntilStatusAsync(second, ExecutionStatuses.Succeeded);
    }

    [Fact]
    public async Task Stop_without_abandon_lets_the_running_action_finish_and_then_the_execution_is_Stopped()
    {
        var pipeline = await PipelineAsync("stop", "SUPERSEDED", null, Stage("Build", Build("Compile")), Stage("Deploy", Build("Ship", input: "Src")));
        var execution = await StartAsync(pipeline);
        var running = await Held.NextAsync("Compile");

        var stopping = await Engine.StopAsync(Scope, "stop", execution.ExecutionId, abandon: false, "bad commit", CancellationToken.None);
        Assert.Equal(ExecutionStatuses.Stopping, stopping.Status);
        Assert.False(running.Token.IsCancellationRequested);
        var again = await Assert.ThrowsAsync<AwsException>(() => Engine.StopAsync(Scope, "stop", execution.ExecutionId, false, null, CancellationToken.None));
        Assert.Equal("DuplicatedStopRequestException", again.Code);

        running.Succeed();
        var stopped = await UntilStatusAsync(execution, ExecutionStatuses.Stopped);
        Assert.Equal(ExecutionStatuses.Succeeded, Action(stopped, "Compile").Status);
        Assert.Equal(ExecutionStatuses.Stopped, stopped.Stage("Build")!.Status);
        Assert.Null(stopped.Stage("Deploy"));
        Assert.Equal("bad commit", stopped.StopReason);
        var done = await Assert.ThrowsAsync<AwsException>(() => Engine.StopAsync(Scope, "stop", execution.ExecutionId, false, null, CancellationToken.None));
        Assert.Equal("PipelineExecutionNotStoppableException", done.Code);
    }

    [Fact]
    public async Task Stop_with_abandon_cancels_the_running_action_and_marks_it_Abandoned()
    {
        var pipeline = await PipelineAsync("abandon", "SUPERSEDED", null, Stage("Build", Build("Compile")));
        var execution = await StartAsync(pipeline);
        var running = await Held.NextAsync("Compile");

        await Engine.StopAsync(Scope, "abandon", execution.ExecutionId, abandon: true, null, CancellationToken.None);

        Assert.True(running.Token.IsCancellationRequested);
        var stopped = await UntilStatusAsync(execution, ExecutionStatuses.Stopped);
        Assert.Equal(ExecutionStatuses.Abandoned, Action(stopped, "Compile").Status);
    }

    [Fact]
    public async Task Retrying_failed_actions_reruns_only_the_failed_one_with_the_same_inputs_and_ALL_ACTIONS_reruns_every_one()
    {
        var pipeline = await PipelineAsync("retry", "SUPERSEDED", null, Stage("Build", Build("A"), Build("B")));
        var execution = await StartAsync(pipeline);
        var a = await Held.NextAsync("A");
        var b = await Held.NextAsync("B");
        a.Fail();
        b.Succeed();
        var failed = await UntilStatusAsync(execution, ExecutionStatuses.Failed);
        Assert.Contains("Action A in stage Build failed: it broke", failed.StatusSummary);

        await Engine.RetryStageAsync(Scope, "retry", "Build", execution.ExecutionId, ExecutionKinds.FailedActions, CancellationToken.None);
        var again = await Held.NextAsync("A");
        Assert.Equal(a.Run.Inputs, again.Run.Inputs);
        again.Fail();
        await UntilStatusAsync(execution, ExecutionStatuses.Failed);
        Assert.False(Held.HasStarted("B"));

        await Engine.RetryStageAsync(Scope, "retry", "Build", execution.ExecutionId, ExecutionKinds.AllActions, CancellationToken.None);
        (await Held.NextAsync("A")).Succeed();
        (await Held.NextAsync("B")).Succeed();
        var done = await UntilStatusAsync(execution, ExecutionStatuses.Succeeded);
        Assert.Equal(3, done.Stage("Build")!.Attempt);
        Assert.Equal(3, done.Actions.Count(x => x.ActionName == "A"));
    }

    [Fact]
    public async Task Only_the_latest_execution_of_a_failed_stage_can_be_retried()
    {
        var pipeline = await PipelineAsync("not-retryable", "SUPERSEDED", null, Stage("Build", Build("A")));
        var first = await StartAsync(pipeline);
        (await Held.NextAsync("A")).Fail();
        await UntilStatusAsync(first, ExecutionStatuses.Failed);
        var second = await StartAsync(pipeline);
        (await Held.NextAsync("A")).Succeed();
        await UntilStatusAsync(second, ExecutionStatuses.Succeeded);

        var notLatest = await Assert.ThrowsAsync<AwsException>(() => Engine.RetryStageAsync(Scope, "not-retryable", "Build", first.ExecutionId, ExecutionKinds.FailedActions, CancellationToken.None));
        var succeeded = await Assert.ThrowsAsync<AwsException>(() => Engine.RetryStageAsync(Scope, "not-retryable", "Build", second.ExecutionId, ExecutionKinds.FailedActions, CancellationToken.None));

        Assert.Equal("NotLatestPipelineExecutionException", notLatest.Code);
        Assert.Equal("StageNotRetryableException", succeeded.Code);
        Assert.Contains("Succeeded", succeeded.Message);
    }

    [Fact]
    public async Task RollbackStage_reruns_the_stage_with_an_earlier_successful_executions_inputs_as_a_ROLLBACK_execution()
    {
        var pipeline = await PipelineAsync("rollback", "SUPERSEDED", null, Stage("Deploy", Build("Ship")));
        var good = await StartAsync(pipeline);
        var goodRun = await Held.NextAsync("Ship");
        goodRun.Succeed();
        await UntilStatusAsync(good, ExecutionStatuses.Succeeded);
        var bad = await StartAsync(pipeline);
        (await Held.NextAsync("Ship")).Fail();
        await UntilStatusAsync(bad, ExecutionStatuses.Failed);

        var id = await Engine.RollbackStageAsync(pipeline, "Deploy", good.ExecutionId, "arn:aws:iam::000000000000:root", CancellationToken.None);
        var rerun = await Held.NextAsync("Ship");

        Assert.Equal(goodRun.Run.Inputs, rerun.Run.Inputs);
        rerun.Succeed();
        var rollback = await UntilStatusAsync(await GetAsync("rollback", id), ExecutionStatuses.Succeeded);
        Assert.Equal(ExecutionKinds.Rollback, rollback.ExecutionType);
        Assert.Equal(good.ExecutionId, rollback.RollbackTarget);
        Assert.Equal("ManualRollback", rollback.Trigger.TriggerType);
        Assert.Equal(["Deploy"], rollback.Stages.Select(s => s.StageName));
        Assert.Equal(id, (await Executions.LatestStageExecutionsAsync(Scope, "rollback", CancellationToken.None))["Deploy"]);

        var notSucceeded = await Assert.ThrowsAsync<AwsException>(() => Engine.RollbackStageAsync(pipeline, "Deploy", bad.ExecutionId, "me", CancellationToken.None));
        Assert.Equal("UnableToRollbackStageException", notSucceeded.Code);
    }

    [Fact]
    public async Task OnFailure_RETRY_retries_the_stage_once_and_ROLLBACK_rolls_it_back_to_the_last_success()
    {
        var retryStage = Stage("Build", Build("A"));
        retryStage["onFailure"] = new JsonObject { ["result"] = "RETRY", ["retryConfiguration"] = new JsonObject { ["retryMode"] = "FAILED_ACTIONS" } };
        var retrying = await PipelineAsync("auto-retry", "SUPERSEDED", null, retryStage);
        var execution = await StartAsync(retrying);
        (await Held.NextAsync("A")).Fail();
        (await Held.NextAsync("A")).Fail();
        var failed = await UntilStatusAsync(execution, ExecutionStatuses.Failed);
        Assert.Equal(1, failed.Stage("Build")!.AutomaticRetries);
        Assert.False(Held.HasStarted("A"));

        var rollbackStage = Stage("Deploy", Build("Ship"));
        rollbackStage["onFailure"] = new JsonObject { ["result"] = "ROLLBACK" };
        var rolling = await PipelineAsync("auto-rollback", "SUPERSEDED", null, rollbackStage);
        var good = await StartAsync(rolling);
        var goodRun = await Held.NextAsync("Ship");
        goodRun.Succeed();
        await UntilStatusAsync(good, ExecutionStatuses.Succeeded);
        var bad = await StartAsync(rolling);
        (await Held.NextAsync("Ship")).Fail();
        await UntilStatusAsync(bad, ExecutionStatuses.Failed);

        var rerun = await Held.NextAsync("Ship");
        Assert.Equal(goodRun.Run.Inputs, rerun.Run.Inputs);
        rerun.Succeed();
        var rollback = (await Executions.ListAsync(Scope, "auto-rollback", 0, 1, CancellationToken.None))[0];
        Assert.Equal("AutomatedRollback", rollback.Trigger.TriggerType);
        await UntilStatusAsync(rollback, ExecutionStatuses.Succeeded);
    }

    [Fact]
    public async Task Variables_are_resolved_before_the_runner_sees_the_configuration_and_start_overrides_a_default()
    {
        var configuration = new JsonObject
        {
            ["ProjectName"] = "web-#{variables.env}",
            ["EnvironmentVariables"] = """[{"name":"COMMIT","value":"#{SourceVariables.CommitId}"},{"name":"RUN","value":"#{codepipeline.PipelineExecutionId}"}]""",
        };
        var variables = new JsonArray(new JsonObject { ["name"] = "env", ["defaultValue"] = "staging" });
        var pipeline = await PipelineAsync("variables", "SUPERSEDED", variables, Stage("Build", Build("Compile", configuration: configuration)));

        var execution = await StartAsync(pipeline, new Dictionary<string, string> { ["env"] = "prod" });
        var run = await Held.NextAsync("Compile");

        Assert.Equal("web-prod", run.Run.Configuration["ProjectName"]);
        Assert.Equal($$"""[{"name":"COMMIT","value":"commit-1"},{"name":"RUN","value":"{{execution.ExecutionId}}"}]""", run.Run.Configuration["EnvironmentVariables"]);
        Assert.Equal([new PipelineVariableValue("env", "prod")], (await GetAsync(execution)).Variables);
        run.Succeed();
        await UntilStatusAsync(execution, ExecutionStatuses.Succeeded);
    }

    [Fact]
    public async Task A_variable_that_cannot_be_resolved_fails_the_action_before_any_runner_sees_it_and_says_why()
    {
        var configuration = new JsonObject { ["ProjectName"] = "#{BuildVariables.IMAGE}" };
        var pipeline = await PipelineAsync("unresolved", "SUPERSEDED", null, Stage("Build", Build("Compile", configuration: configuration)));

        var execution = await StartAsync(pipeline);

        var failed = await UntilStatusAsync(execution, ExecutionStatuses.Failed);
        var action = Action(failed, "Compile");
        Assert.Equal("ConfigurationError", action.ErrorCode);
        Assert.Contains("#{BuildVariables.IMAGE}", action.ErrorMessage);
        Assert.Contains("no action declares the namespace 'BuildVariables'", action.ErrorMessage);
        Assert.Empty(Held.Runs);
    }

    [Fact]
    public async Task The_runner_acts_as_the_pipeline_role_assumed_as_codepipeline_and_a_refusal_fails_the_action_with_the_fix()
    {
        var pipeline = await PipelineAsync("role", "SUPERSEDED", null, Stage("Build", Build("Compile")));
        var execution = await StartAsync(pipeline);
        var run = await Held.NextAsync("Compile");

        Assert.Equal("arn:aws:sts::000000000000:role/pipeline-role/codepipeline", run.Run.Role.Principal.Arn);
        Assert.Contains((Role, "codepipeline.amazonaws.com"), Roles.Assumed);
        run.Succeed();
        await UntilStatusAsync(execution, ExecutionStatuses.Succeeded);

        Roles.Refuse = true;
        var refused = await UntilStatusAsync(await StartAsync(pipeline), ExecutionStatuses.Failed);
        Assert.Equal("PermissionError", Action(refused, "Fetch").ErrorCode);
        Assert.Contains("aws iam update-assume-role-policy --role-name pipeline-role", Action(refused, "Fetch").ErrorMessage);
    }

    [Fact]
    public async Task A_provider_no_runner_takes_fails_with_what_to_use_instead()
    {
        var lambda = new JsonObject
        {
            ["name"] = "Invoke",
            ["actionTypeId"] = new JsonObject { ["category"] = "Invoke", ["owner"] = "AWS", ["provider"] = "Lambda", ["version"] = "1" },
            ["configuration"] = new JsonObject { ["FunctionName"] = "f" },
        };
        var pipeline = await PipelineAsync("lambda", "SUPERSEDED", null, Stage("Call", lambda));

        var failed = await UntilStatusAsync(await StartAsync(pipeline), ExecutionStatuses.Failed);

        Assert.StartsWith("Action provider Lambda is not available in Cairn; use a Source action with provider CodeStarSourceConnection", Action(failed, "Invoke").ErrorMessage);
    }

    [Fact]
    public async Task A_disabled_inbound_transition_holds_executions_before_the_stage_until_it_is_enabled()
    {
        var pipeline = await PipelineAsync("transition", "SUPERSEDED", null, Stage("Build", Build("Compile")));
        await Engine.SetTransitionAsync(Scope, "transition", "Build", false, "freeze", "arn:aws:iam::000000000000:root", CancellationToken.None);

        var execution = await StartAsync(pipeline);
        await UntilAsync(execution, e => e.WaitingForStage == "Build");
        Assert.False(Held.HasStarted("Compile"));

        await Engine.SetTransitionAsync(Scope, "transition", "Build", true, null, "arn:aws:iam::000000000000:root", CancellationToken.None);
        (await Held.NextAsync("Compile")).Succeed();
        await UntilStatusAsync(execution, ExecutionStatuses.Succeeded);
    }

    [Fact]
    public async Task A_restarted_engine_reruns_the_running_action_with_what_its_runner_reported()
    {
        var pipeline = await PipelineAsync("resume", "SUPERSEDED", null, Stage("Build", Build("Compile")));
        var execution = await StartAsync(pipeline);
        var before = await Held.NextAsync("Compile");
        await before.Progress.ReportAsync("web:42", "http://cairn/build/42", "building", CancellationToken.None);
        await Engine.DisposeAsync();
        Assert.Equal(ExecutionStatuses.InProgress, Action(await GetAsync(execution), "Compile").Status);

        NewEngine();
        await Engine.ResumeAsync(CancellationToken.None);
        var after = await Held.NextAsync("Compile");

        Assert.Equal("web:42", after.Run.ExternalExecutionId);
        Assert.Equal(before.Run.ActionExecutionId, after.Run.ActionExecutionId);
        after.Succeed();
        var done = await UntilStatusAsync(execution, ExecutionStatuses.Succeeded);
        Assert.Equal("http://cairn/build/42", Action(done, "Compile").ExternalExecutionUrl);
    }
}
