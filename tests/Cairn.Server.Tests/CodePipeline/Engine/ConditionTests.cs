using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Conditions;
using Cairn.Core.Pipelines.Executions;

namespace Cairn.Server.Tests.CodePipeline.Engine;

/// <summary>
/// Stage conditions with fake runners and the manual clock (2030-01-01 00:00 UTC, a Tuesday): each rule Cairn runs and
/// each result; a DeploymentWindow that waits across a restart; OverrideStageCondition; Cancelled; the execution limit.
/// </summary>
public sealed class ConditionTests : EngineFixture
{
    private static JsonArray GateVariable => new(new JsonObject { ["name"] = "gate", ["defaultValue"] = "open" });

    private static JsonObject Rule(string name, string provider, JsonObject configuration, int? timeoutInMinutes = null) => new()
    {
        ["name"] = name,
        ["ruleTypeId"] = new JsonObject { ["category"] = "Rule", ["owner"] = "AWS", ["provider"] = provider, ["version"] = "1" },
        ["configuration"] = configuration,
        ["timeoutInMinutes"] = timeoutInMinutes,
    };

    private static JsonObject GateIs(string value, string op = "EQ") =>
        Rule("GateCheck", RuleTypes.VariableCheck, new JsonObject { ["Variable"] = "#{variables.gate}", ["Value"] = value, ["Operator"] = op });

    private static JsonObject Window(string cron, int? timeoutInMinutes = null) =>
        Rule("Hours", RuleTypes.DeploymentWindow, new JsonObject { ["Cron"] = cron, ["TimeZone"] = "UTC" }, timeoutInMinutes);

    private static JsonObject With(JsonObject stage, string member, string? result, params JsonObject[] rules)
    {
        var condition = new JsonObject { ["rules"] = new JsonArray(rules) };
        if (result is not null)
        {
            condition["result"] = result;
        }

        stage[member] = new JsonObject { ["conditions"] = new JsonArray(condition) };
        return stage;
    }

    private Task<PipelineExecution> StartWithGateAsync(PipelineRecord pipeline, string gate) =>
        StartAsync(pipeline, new Dictionary<string, string> { ["gate"] = gate });

    [Fact]
    public async Task A_beforeEntry_VariableCheck_that_passes_lets_the_execution_into_the_stage()
    {
        var pipeline = await PipelineAsync("entry-pass", "SUPERSEDED", GateVariable, With(Stage("Build", Build("Compile")), "beforeEntry", "FAIL", GateIs("op", "CONTAINS")));

        var execution = await StartAsync(pipeline);
        (await Held.NextAsync("Compile")).Succeed();

        var done = await UntilStatusAsync(execution, ExecutionStatuses.Succeeded);
        var condition = done.Condition("Build", ConditionKinds.BeforeEntry)!;
        Assert.Equal(ExecutionStatuses.Succeeded, condition.Status);
        var rule = Assert.Single(condition.Rules);
        Assert.Equal("open", rule.ResolvedConfiguration["Variable"]);
        Assert.Equal("#{variables.gate}", rule.Configuration["Variable"]);
    }

    [Fact]
    public async Task A_beforeEntry_rule_that_fails_with_FAIL_fails_the_stage_without_running_its_actions()
    {
        var pipeline = await PipelineAsync("entry-fail", "SUPERSEDED", GateVariable, With(Stage("Build", Build("Compile")), "beforeEntry", "FAIL", GateIs("open", "NE")));

        var failed = await UntilStatusAsync(await StartAsync(pipeline), ExecutionStatuses.Failed);

        Assert.Equal(ExecutionStatuses.Failed, failed.Stage("Build")!.Status);
        Assert.DoesNotContain(failed.Actions, a => a.StageName == "Build");
        Assert.False(Held.HasStarted("Compile"));
        Assert.Contains("beforeEntry condition failed", failed.StatusSummary);
        Assert.Contains("#{variables.gate} is 'open', and the rule checks NE 'open'", failed.StatusSummary);
        var rule = Assert.Single(failed.Condition("Build", ConditionKinds.BeforeEntry)!.Rules);
        Assert.Equal(ExecutionStatuses.Failed, rule.Status);
    }

    [Fact]
    public async Task A_beforeEntry_rule_that_fails_with_SKIP_skips_the_stage_and_the_execution_goes_on()
    {
        var pipeline = await PipelineAsync("entry-skip", "SUPERSEDED", GateVariable,
            With(Stage("Build", Build("Compile")), "beforeEntry", "SKIP", GateIs("^o.*n$", "MATCHES")),
            Stage("Deploy", Build("Ship")));

        var skipped = await StartWithGateAsync(pipeline, "closed");
        (await Held.NextAsync("Ship")).Succeed();

        var done = await UntilStatusAsync(skipped, ExecutionStatuses.Succeeded);
        Assert.Equal(ExecutionStatuses.Skipped, done.Stage("Build")!.Status);
        Assert.Equal(ExecutionStatuses.Succeeded, done.Stage("Deploy")!.Status);
        Assert.DoesNotContain(done.Actions, a => a.ActionName == "Compile");
        Assert.Equal(ConditionKinds.Skip, done.Condition("Build", ConditionKinds.BeforeEntry)!.Result);

        var entered = await StartWithGateAsync(pipeline, "open");
        (await Held.NextAsync("Compile")).Succeed();
        (await Held.NextAsync("Ship")).Succeed();
        Assert.Equal(ExecutionStatuses.Succeeded, (await UntilStatusAsync(entered, ExecutionStatuses.Succeeded)).Stage("Build")!.Status);
    }

    [Fact]
    public async Task A_beforeEntry_DeploymentWindow_waits_for_its_window_across_a_restart_then_enters()
    {
        var pipeline = await PipelineAsync("window", "SUPERSEDED", null, With(Stage("Build", Build("Compile")), "beforeEntry", "FAIL", Window("* * 9-16 ? * MON-FRI *")));

        var execution = await StartAsync(pipeline);
        var waiting = await UntilAsync(execution, e => e.Condition("Build", ConditionKinds.BeforeEntry)?.Status == ExecutionStatuses.InProgress);
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 9, 0, 0, TimeSpan.Zero), waiting.Condition("Build", ConditionKinds.BeforeEntry)!.WaitUntil);
        Assert.Equal(ExecutionStatuses.InProgress, waiting.Stage("Build")!.Status);
        Assert.DoesNotContain(waiting.Actions, a => a.StageName == "Build");

        await Engine.DisposeAsync();
        NewEngine();
        await Engine.ResumeAsync(CancellationToken.None);
        Clock.Advance(TimeSpan.FromHours(8.5));
        Assert.False(Held.HasStarted("Compile"));
        Clock.Advance(TimeSpan.FromHours(0.5));

        (await Held.NextAsync("Compile")).Succeed();
        var done = await UntilStatusAsync(execution, ExecutionStatuses.Succeeded);
        Assert.Equal(ExecutionStatuses.Succeeded, done.Condition("Build", ConditionKinds.BeforeEntry)!.Status);
    }

    [Fact]
    public async Task A_DeploymentWindow_that_does_not_open_within_the_rules_timeout_fails_at_once()
    {
        var pipeline = await PipelineAsync("window-far", "SUPERSEDED", null,
            With(Stage("Build", Build("Compile")), "beforeEntry", "FAIL", Window("* * 9-16 ? * MON-FRI *", timeoutInMinutes: 60)));

        var failed = await UntilStatusAsync(await StartAsync(pipeline), ExecutionStatuses.Failed);

        Assert.Contains("does not open within 60 minutes", failed.StatusSummary);
        Assert.Contains("override-stage-condition", failed.StatusSummary);
    }

    [Fact]
    public async Task OverrideStageCondition_lets_a_waiting_execution_in_and_a_condition_not_waiting_cannot_be_overridden()
    {
        var pipeline = await PipelineAsync("override", "SUPERSEDED", null, With(Stage("Build", Build("Compile")), "beforeEntry", "FAIL", Window("* * 9-16 ? * * *")));
        var execution = await StartAsync(pipeline);
        await UntilAsync(execution, e => e.Condition("Build", ConditionKinds.BeforeEntry)?.Status == ExecutionStatuses.InProgress);

        await Engine.OverrideConditionAsync(Scope, "override", "Build", execution.ExecutionId, ConditionKinds.BeforeEntry, "arn:aws:iam::000000000000:user/ops", CancellationToken.None);

        (await Held.NextAsync("Compile")).Succeed();
        var done = await UntilStatusAsync(execution, ExecutionStatuses.Succeeded);
        var condition = done.Condition("Build", ConditionKinds.BeforeEntry)!;
        Assert.Equal(ConditionStatuses.Overridden, condition.Status);
        Assert.Equal("arn:aws:iam::000000000000:user/ops", condition.UpdatedBy);
        Assert.Equal(ExecutionStatuses.Abandoned, Assert.Single(condition.Rules).Status);

        var again = await Assert.ThrowsAsync<AwsException>(() =>
            Engine.OverrideConditionAsync(Scope, "override", "Build", execution.ExecutionId, ConditionKinds.BeforeEntry, "me", CancellationToken.None));
        Assert.Equal("ConditionNotOverridableException", again.Code);
        var onSuccess = await Assert.ThrowsAsync<AwsException>(() =>
            Engine.OverrideConditionAsync(Scope, "override", "Build", execution.ExecutionId, ConditionKinds.OnSuccess, "me", CancellationToken.None));
        Assert.Equal("ConditionNotOverridableException", onSuccess.Code);
    }

    [Fact]
    public async Task Stopping_an_execution_whose_entry_condition_waits_abandons_the_condition()
    {
        var pipeline = await PipelineAsync("stop-waiting", "SUPERSEDED", null, With(Stage("Build", Build("Compile")), "beforeEntry", "FAIL", Window("* * 9-16 ? * * *")));
        var execution = await StartAsync(pipeline);
        await UntilAsync(execution, e => e.Condition("Build", ConditionKinds.BeforeEntry)?.Status == ExecutionStatuses.InProgress);

        await Engine.StopAsync(Scope, "stop-waiting", execution.ExecutionId, abandon: false, "frozen", CancellationToken.None);

        var stopped = await UntilStatusAsync(execution, ExecutionStatuses.Stopped);
        Assert.Equal(ExecutionStatuses.Abandoned, stopped.Condition("Build", ConditionKinds.BeforeEntry)!.Status);
        Clock.Advance(TimeSpan.FromHours(10));
        Assert.False(Held.HasStarted("Compile"));
    }

    [Fact]
    public async Task A_rule_provider_Cairn_cannot_run_fails_the_condition_naming_what_to_use()
    {
        var lambda = Rule("Probe", "LambdaInvoke", new JsonObject { ["FunctionName"] = "probe" });
        var pipeline = await PipelineAsync("lambda-rule", "SUPERSEDED", null, With(Stage("Build", Build("Compile")), "beforeEntry", "FAIL", lambda));

        var failed = await UntilStatusAsync(await StartAsync(pipeline), ExecutionStatuses.Failed);

        Assert.Contains("Rule provider LambdaInvoke (rule 'Probe') is not available in Cairn; use VariableCheck", failed.StatusSummary);
        Assert.Equal("ConfigurationError", Assert.Single(failed.Condition("Build", ConditionKinds.BeforeEntry)!.Rules).ErrorCode);
    }

    [Fact]
    public async Task An_onSuccess_rule_that_fails_with_FAIL_fails_the_stage_after_its_actions_succeeded()
    {
        var pipeline = await PipelineAsync("success-fail", "SUPERSEDED", GateVariable,
            With(Stage("Build", Build("Compile")), "onSuccess", "FAIL", GateIs("open")), Stage("Deploy", Build("Ship")));

        var execution = await StartWithGateAsync(pipeline, "shut");
        (await Held.NextAsync("Compile")).Succeed();

        var failed = await UntilStatusAsync(execution, ExecutionStatuses.Failed);
        Assert.Equal(ExecutionStatuses.Succeeded, Action(failed, "Compile").Status);
        Assert.Equal(ExecutionStatuses.Failed, failed.Stage("Build")!.Status);
        Assert.Null(failed.Stage("Deploy"));
        Assert.Contains("onSuccess condition failed (FAIL)", failed.StatusSummary);
    }

    [Fact]
    public async Task An_onSuccess_rule_that_fails_with_ROLLBACK_rolls_the_stage_back_to_the_last_execution_that_succeeded_in_it()
    {
        var pipeline = await PipelineAsync("success-rollback", "SUPERSEDED", GateVariable, With(Stage("Deploy", Build("Ship")), "onSuccess", "ROLLBACK", GateIs("open")));
        var good = await StartAsync(pipeline);
        var goodRun = await Held.NextAsync("Ship");
        goodRun.Succeed();
        await UntilStatusAsync(good, ExecutionStatuses.Succeeded);

        var bad = await StartWithGateAsync(pipeline, "shut");
        (await Held.NextAsync("Ship")).Succeed();
        await UntilStatusAsync(bad, ExecutionStatuses.Failed);

        var rerun = await Held.NextAsync("Ship");
        Assert.Equal(goodRun.Run.Inputs, rerun.Run.Inputs);
        rerun.Succeed();
        var rollback = (await Executions.ListAsync(Scope, "success-rollback", 0, 1, CancellationToken.None))[0];
        Assert.Equal(ExecutionKinds.Rollback, rollback.ExecutionType);
        Assert.Equal(good.ExecutionId, rollback.RollbackTarget);
        Assert.Equal(ExecutionStatuses.Succeeded, (await UntilStatusAsync(rollback, ExecutionStatuses.Succeeded)).Status);
    }

    [Fact]
    public async Task OnFailure_conditions_engage_its_result_only_when_their_rules_pass()
    {
        var deploy = With(Stage("Deploy", Build("Ship")), "onFailure", "ROLLBACK", GateIs("rollback"));
        deploy["onFailure"]!["result"] = "ROLLBACK";
        var pipeline = await PipelineAsync("failure-conditions", "SUPERSEDED", GateVariable, deploy);
        var good = await StartAsync(pipeline);
        (await Held.NextAsync("Ship")).Succeed();
        await UntilStatusAsync(good, ExecutionStatuses.Succeeded);

        var kept = await StartWithGateAsync(pipeline, "keep");
        (await Held.NextAsync("Ship")).Fail();
        var failed = await UntilStatusAsync(kept, ExecutionStatuses.Failed);
        Assert.Equal(ExecutionStatuses.Failed, failed.Condition("Deploy", ConditionKinds.OnFailure)!.Status);
        Assert.Equal(2, (await Executions.ListAsync(Scope, "failure-conditions", 0, 10, CancellationToken.None)).Count);

        var rolled = await StartWithGateAsync(pipeline, "rollback");
        (await Held.NextAsync("Ship")).Fail();
        await UntilStatusAsync(rolled, ExecutionStatuses.Failed);
        (await Held.NextAsync("Ship")).Succeed();
        var rollback = (await Executions.ListAsync(Scope, "failure-conditions", 0, 1, CancellationToken.None))[0];
        Assert.Equal(ExecutionKinds.Rollback, rollback.ExecutionType);
        Assert.Equal(ConditionKinds.Rollback, (await GetAsync(rolled)).Condition("Deploy", ConditionKinds.OnFailure)!.Result);
    }

    [Fact]
    public async Task Updating_the_pipeline_cancels_its_waiting_executions_and_stops_a_running_one_after_its_stage()
    {
        var pipeline = await PipelineAsync("updated", "QUEUED", null, Stage("Build", Build("Compile")), Stage("Deploy", Build("Ship")));
        var running = await StartAsync(pipeline);
        var compile = await Held.NextAsync("Compile");
        var queued = await StartAsync(pipeline);
        await UntilAsync(queued, e => e.WaitingForStage == "Build");

        var stored = await Pipelines.GetAsync(Scope, "updated", null, CancellationToken.None);
        var declaration = stored!.Pipeline!.ToDeclaration();
        declaration.Remove("version");
        Assert.NotNull(await Pipelines.UpdateAsync(Scope, "updated", declaration.ToJsonString(), Clock.GetUtcNow(), CancellationToken.None));
        await Engine.PipelineUpdatedAsync(Scope, "updated", CancellationToken.None);

        var cancelled = await UntilStatusAsync(queued, ExecutionStatuses.Cancelled);
        Assert.Contains("updated to version 2", cancelled.StatusSummary);
        Assert.Equal(ExecutionStatuses.InProgress, (await GetAsync(running)).Status);

        compile.Succeed();
        var stopped = await UntilStatusAsync(running, ExecutionStatuses.Cancelled);
        Assert.Equal(ExecutionStatuses.Succeeded, stopped.Stage("Build")!.Status);
        Assert.Null(stopped.Stage("Deploy"));
        Assert.False(Held.HasStarted("Ship"));
    }

    [Fact]
    public async Task In_QUEUED_mode_starting_beyond_the_limit_is_refused_and_nothing_is_stored()
    {
        Engine.ExecutionLimit = 2;
        var pipeline = await PipelineAsync("limited", "QUEUED", null, Stage("Build", Build("Compile")));
        await StartAsync(pipeline);
        await Held.NextAsync("Compile");
        await StartAsync(pipeline);

        var refused = await Assert.ThrowsAsync<AwsException>(() => StartAsync(pipeline));

        Assert.Equal("ConcurrentPipelineExecutionsLimitExceededException", refused.Code);
        Assert.Contains("QUEUED mode and already has 2 executions", refused.Message);
        Assert.Equal(2, (await Executions.ListAsync(Scope, "limited", 0, 10, CancellationToken.None)).Count);

        var superseded = await PipelineAsync("unlimited", "SUPERSEDED", null, Stage("Build", Build("Compile")));
        for (var i = 0; i < 3; i++)
        {
            await StartAsync(superseded);
        }
    }
}
