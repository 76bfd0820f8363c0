using System.Text.Json.Nodes;
using Cairn.Cli.Pipelines;

namespace Cairn.Compat.Tests.CodePipeline;

/// <summary>`cairn pipeline watch` reads AWS's own answers (GetPipelineExecution, GetPipelineState, ListActionExecutions) into what it shows.</summary>
public sealed class PipelineWatchRendererTests
{
    private const string Execution = "11111111-2222-3333-4444-555555555555";
    private const string Endpoint = "http://127.0.0.1:4566";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_100);

    [Fact]
    public void A_snapshot_takes_this_executions_action_runs_in_declaration_order_with_the_newest_retry()
    {
        var snapshot = Snapshot(approvalToken: null, buildStatus: "InProgress");

        Assert.Equal(["Source", "Build", "Approve", "Deploy"], snapshot.Stages.Select(s => s.Name));
        var build = snapshot.Stages[1].Actions[0];
        Assert.Equal("InProgress", build.Status);
        Assert.Equal("flask-app:b2", build.ExternalId);
        Assert.True(build.IsCodeBuild);
        Assert.Equal("Succeeded", snapshot.Stages[0].Status);
        Assert.Null(snapshot.Stages[3].Status);
        Assert.False(snapshot.IsOver);
        Assert.True(snapshot.Stages[3].TransitionDisabled);
    }

    [Fact]
    public void The_screen_shows_durations_what_each_action_started_and_the_approval_command_with_its_token()
    {
        var screen = PipelineWatchRenderer.Screen(Snapshot(approvalToken: "tok-123", buildStatus: "Succeeded"), Endpoint, "flask-app:b2 (last 12 lines)", ["[Container] building"], Now, colour: false);

        Assert.Contains("flask-app  execution " + Execution + "  InProgress  (StartPipelineExecution)", screen, StringComparison.Ordinal);
        Assert.Contains("Source               Succeeded  4.0s  3f1c2a9", screen, StringComparison.Ordinal);
        Assert.Contains("Build                Succeeded  1m30s  flask-app:b2", screen, StringComparison.Ordinal);
        Assert.Contains("waiting for approval: aws --endpoint-url http://127.0.0.1:4566 codepipeline put-approval-result --pipeline-name flask-app --stage-name Approve "
            + "--action-name Manual --result summary=approved,status=Approved --token tok-123", screen, StringComparison.Ordinal);
        Assert.Contains("transition disabled: waiting for the release window", screen, StringComparison.Ordinal);
        Assert.Contains("── flask-app:b2 (last 12 lines) ──\n  [Container] building", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("\e[", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void Changes_are_an_actions_new_status_a_new_approval_and_the_executions_end()
    {
        var running = Snapshot(approvalToken: null, buildStatus: "InProgress");
        var waiting = Snapshot(approvalToken: "tok-123", buildStatus: "Succeeded");

        var first = PipelineWatchRenderer.Changes(null, running, Endpoint, Now);
        Assert.Contains(first, c => c is { Type: "action", Stage: "Source", Status: "Succeeded" });
        Assert.Contains(first, c => c is { Type: "action", Stage: "Build", Status: "InProgress", Detail: "flask-app:b2  running  1m40s" });
        Assert.Contains(first, c => c is { Type: "execution", Status: "InProgress" });

        var next = PipelineWatchRenderer.Changes(running, waiting, Endpoint, Now);
        Assert.Equal(2, next.Count);
        Assert.Contains(next, c => c is { Type: "action", Stage: "Build", Status: "Succeeded" });
        var approval = Assert.Single(next, c => c.Type == "approval");
        Assert.EndsWith("--token tok-123", approval.Detail, StringComparison.Ordinal);
        Assert.Equal("approval", approval.ToJson()["type"]!.GetValue<string>());

        Assert.Empty(PipelineWatchRenderer.Changes(waiting, waiting, Endpoint, Now));
    }

    [Fact]
    public void A_failed_action_shows_its_error_and_the_execution_is_over()
    {
        var failed = WatchSnapshot.From("flask-app", ExecutionJson("Failed", "Build failed"), State(null), Actions("Failed", error: "Build terminated with state: FAILED"));

        Assert.True(failed.IsOver);
        var screen = PipelineWatchRenderer.Screen(failed, Endpoint, null, [], Now, colour: false);
        Assert.Contains("Build failed", screen, StringComparison.Ordinal);
        Assert.Contains("        Build terminated with state: FAILED", screen, StringComparison.Ordinal);
        var line = PipelineWatchRenderer.Line(Assert.Single(PipelineWatchRenderer.Changes(null, failed, Endpoint, Now), c => c.Stage == "Build"));
        Assert.EndsWith("Build/Build Failed  Build terminated with state: FAILED", line, StringComparison.Ordinal);
    }

    private static WatchSnapshot Snapshot(string? approvalToken, string buildStatus) =>
        WatchSnapshot.From("flask-app", ExecutionJson("InProgress", null), State(approvalToken), Actions(buildStatus, error: null));

    private static JsonObject ExecutionJson(string status, string? summary) => new()
    {
        ["pipelineExecution"] = new JsonObject
        {
            ["pipelineName"] = "flask-app",
            ["pipelineVersion"] = 1,
            ["pipelineExecutionId"] = Execution,
            ["status"] = status,
            ["statusSummary"] = summary,
            ["trigger"] = new JsonObject { ["triggerType"] = "StartPipelineExecution", ["triggerDetail"] = "arn:aws:iam::000000000000:root" },
        },
    };

    /// <summary>GetPipelineState as AWS answers it: stage and action states with their latest executions.</summary>
    private static JsonObject State(string? approvalToken)
    {
        JsonObject Stage(string name, string? status, string action, JsonObject? actionLatest = null, bool enabled = true) => new()
        {
            ["stageName"] = name,
            ["inboundTransitionState"] = new JsonObject { ["enabled"] = enabled, ["disabledReason"] = enabled ? null : "waiting for the release window" },
            ["latestExecution"] = status is null ? null : new JsonObject { ["pipelineExecutionId"] = Execution, ["status"] = status },
            ["actionStates"] = new JsonArray(new JsonObject { ["actionName"] = action, ["latestExecution"] = actionLatest }),
        };

        return new JsonObject
        {
            ["pipelineName"] = "flask-app",
            ["stageStates"] = new JsonArray(
                Stage("Source", "Succeeded", "Source"),
                Stage("Build", "InProgress", "Build"),
                Stage("Approve", approvalToken is null ? null : "InProgress", "Manual",
                    approvalToken is null ? null : new JsonObject { ["status"] = "InProgress", ["token"] = approvalToken }),
                Stage("Deploy", null, "Deploy", enabled: false)),
        };
    }

    /// <summary>ListActionExecutions for the execution: a retried Build (the newer run wins), with epoch-second times as JSON 1.1 sends them.</summary>
    private static JsonObject Actions(string buildStatus, string? error)
    {
        JsonObject Run(string stage, string action, string provider, string status, long start, long updated, string? external, string? summary, string? failure = null) => new()
        {
            ["pipelineExecutionId"] = Execution,
            ["stageName"] = stage,
            ["actionName"] = action,
            ["status"] = status,
            ["startTime"] = start,
            ["lastUpdateTime"] = updated,
            ["input"] = new JsonObject { ["actionTypeId"] = new JsonObject { ["category"] = "Build", ["owner"] = "AWS", ["provider"] = provider, ["version"] = "1" } },
            ["output"] = new JsonObject
            {
                ["executionResult"] = new JsonObject
                {
                    ["externalExecutionId"] = external,
                    ["externalExecutionSummary"] = summary,
                    ["errorDetails"] = failure is null ? null : new JsonObject { ["code"] = "JobFailed", ["message"] = failure },
                },
            },
        };

        return new JsonObject
        {
            ["actionExecutionDetails"] = new JsonArray(
                Run("Build", "Build", "CodeBuild", buildStatus, 1_800_000_000, 1_800_000_090, "flask-app:b2", buildStatus == "InProgress" ? "running" : null, error),
                Run("Build", "Build", "CodeBuild", "Failed", 1_799_999_000, 1_799_999_100, "flask-app:b1", null, "the first try"),
                Run("Source", "Source", "CodeStarSourceConnection", "Succeeded", 1_799_990_000, 1_799_990_004, "3f1c2a9", "Fix the health check")),
        };
    }
}
