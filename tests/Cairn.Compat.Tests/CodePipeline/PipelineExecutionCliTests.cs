using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.CodePipeline;

/// <summary>
/// Running a pipeline with the real aws CLI 2.9: a Source stage and a Manual approval, end to end (start, state, approve,
/// history), and stop, reject and retry, transitions, and AWS's errors. RollbackStage is newer than this CLI, and its model
/// drops members added since (GetPipelineExecution's trigger, executionMode, variables): the server tests cover those.
/// </summary>
public sealed class PipelineExecutionCliTests(PipelineEngineCairnFixture cairn) : IClassFixture<PipelineEngineCairnFixture>, IDisposable
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codepipeline.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-pipeline-run-").FullName;

    /// <summary>Creates the pipeline; the id of the execution its creation started, as AWS starts one (trigger CreatePipeline).</summary>
    private async Task<string> CreateAsync(string name)
    {
        var role = await cairn.Aws("iam", "get-role", "--role-name", "pipeline-run");
        if (role.ExitCode != 0)
        {
            (await cairn.Aws("iam", "create-role", "--role-name", "pipeline-run", "--assume-role-policy-document", Trust)).Ok();
        }

        var path = Path.Combine(_directory, name + ".json");
        await File.WriteAllTextAsync(path, $$$"""
            {"pipeline":{"name":"{{{name}}}","roleArn":"arn:aws:iam::000000000000:role/pipeline-run","artifactStore":{"type":"S3","location":"artifacts"},
             "stages":[{"name":"Source","actions":[{"name":"Fetch","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"},
               "configuration":{"ConnectionArn":"arn:aws:codeconnections:us-east-1:000000000000:connection/c","FullRepositoryId":"team/app","BranchName":"main"},
               "outputArtifacts":[{"name":"Src"}],"namespace":"SourceVariables"}]},
              {"name":"Approve","actions":[{"name":"Manual","actionTypeId":{"category":"Approval","owner":"AWS","provider":"Manual","version":"1"},
               "configuration":{"CustomData":"Deploy commit #{SourceVariables.CommitId}?"}}]}]}}
            """);
        (await cairn.Aws("codepipeline", "create-pipeline", "--cli-input-json", "file://" + path)).Ok();
        var history = (await cairn.Aws("codepipeline", "list-pipeline-executions", "--pipeline-name", name)).Ok();
        var created = Assert.Single(history["pipelineExecutionSummaries"]!.AsArray())!;
        Assert.Equal("CreatePipeline", created["trigger"]!["triggerType"]!.GetValue<string>());
        return created["pipelineExecutionId"]!.GetValue<string>();
    }

    /// <summary>Polls get-pipeline-state (up to 30 s) until the approval of <paramref name="executionId"/> waits, and returns its latestExecution.</summary>
    private async Task<JsonNode> WaitingApprovalAsync(string name, string executionId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var state = (await cairn.Aws("codepipeline", "get-pipeline-state", "--name", name)).Ok();
            var approve = state["stageStates"]![1]!;
            var latest = approve["actionStates"]![0]!["latestExecution"];
            if (approve["latestExecution"]?["pipelineExecutionId"]?.GetValue<string>() == executionId && latest?["token"] is not null)
            {
                return latest;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the approval never waited: {state.ToJsonString()}");
            await Task.Delay(200);
        }
    }

    private Task<JsonNode> UntilStatusAsync(string name, string executionId, string status) =>
        PipelineExecutionPolling.UntilStatusAsync(cairn.Aws, name, executionId, status);

    private async Task<string> StartAsync(string name) =>
        (await cairn.Aws("codepipeline", "start-pipeline-execution", "--name", name)).Ok()["pipelineExecutionId"]!.GetValue<string>();

    [Fact]
    public async Task A_source_then_manual_approval_pipeline_runs_end_to_end_through_the_cli()
    {
        var id = await CreateAsync("cli-run");

        var approval = await WaitingApprovalAsync("cli-run", id);
        // The CustomData with its variable resolved, then what Cairn says the approval approves: the fetched commit.
        Assert.StartsWith("Deploy commit 0123abc?\nApproving commit 0123abc \"the test commit\"", approval["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        var token = approval["token"]!.GetValue<string>();
        var approved = (await cairn.Aws("codepipeline", "put-approval-result", "--pipeline-name", "cli-run", "--stage-name", "Approve",
            "--action-name", "Manual", "--result", "summary=ship it,status=Approved", "--token", token)).Ok();
        var execution = await UntilStatusAsync("cli-run", id, "Succeeded");
        var history = (await cairn.Aws("codepipeline", "list-pipeline-executions", "--pipeline-name", "cli-run")).Ok();
        var actions = (await cairn.Aws("codepipeline", "list-action-executions", "--pipeline-name", "cli-run", "--filter", $"pipelineExecutionId={id}")).Ok();

        Assert.NotNull(approved["approvedAt"]);
        Assert.Equal("0123abc", execution["artifactRevisions"]![0]!["revisionId"]!.GetValue<string>());
        Assert.Equal("CreatePipeline", history["pipelineExecutionSummaries"]![0]!["trigger"]!["triggerType"]!.GetValue<string>());
        Assert.Equal("arn:aws:iam::000000000000:root", history["pipelineExecutionSummaries"]![0]!["trigger"]!["triggerDetail"]!.GetValue<string>());
        Assert.Equal(id, history["pipelineExecutionSummaries"]![0]!["pipelineExecutionId"]!.GetValue<string>());
        Assert.Equal("0123abc", history["pipelineExecutionSummaries"]![0]!["sourceRevisions"]![0]!["revisionId"]!.GetValue<string>());
        var details = actions["actionExecutionDetails"]!.AsArray();
        Assert.Equal(["Manual", "Fetch"], details.Select(d => d!["actionName"]!.GetValue<string>()));
        Assert.Equal("ship it", details[0]!["output"]!["executionResult"]!["externalExecutionSummary"]!.GetValue<string>());
        Assert.Equal("Deploy commit #{SourceVariables.CommitId}?", details[0]!["input"]!["configuration"]!["CustomData"]!.GetValue<string>());
        Assert.Equal("Deploy commit 0123abc?", details[0]!["input"]!["resolvedConfiguration"]!["CustomData"]!.GetValue<string>());

        var again = (await cairn.Aws("codepipeline", "put-approval-result", "--pipeline-name", "cli-run", "--stage-name", "Approve",
            "--action-name", "Manual", "--result", "summary=twice,status=Approved", "--token", token)).Fails("ApprovalAlreadyCompletedException");
        Assert.Contains("already completed", again, StringComparison.Ordinal);
        (await cairn.Aws("codepipeline", "get-pipeline-execution", "--pipeline-name", "cli-run", "--pipeline-execution-id", "11111111-2222-3333-4444-555555555555"))
            .Fails("PipelineExecutionNotFoundException");
    }

    [Fact]
    public async Task Cairn_pipeline_watch_follows_a_live_execution_through_its_approval_to_its_end()
    {
        var id = await CreateAsync("cli-watch");

        // Started while the execution runs: it follows the newest execution until it ends, one JSON object per change.
        var watching = ClientProcess.RunAsync(Path.Combine(AppContext.BaseDirectory, "cairn"),
            ["pipeline", "watch", "cli-watch", "--format", "json", "--interval", "0.2", "--endpoint-url", cairn.Endpoint],
            new Dictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = CairnFixture.RootKeyId,
                ["AWS_SECRET_ACCESS_KEY"] = CairnFixture.RootSecret,
                ["AWS_DEFAULT_REGION"] = "us-east-1",
            });
        var token = (await WaitingApprovalAsync("cli-watch", id))["token"]!.GetValue<string>();
        Assert.False(watching.IsCompleted, "cairn pipeline watch ended before the approval was given");
        (await cairn.Aws("codepipeline", "put-approval-result", "--pipeline-name", "cli-watch", "--stage-name", "Approve",
            "--action-name", "Manual", "--result", "summary=watched,status=Approved", "--token", token)).Ok();

        var watched = await watching.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(watched.ExitCode == 0, $"exit {watched.ExitCode}\n{watched.Stdout}\n{watched.Stderr}");
        var events = watched.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var approval = Assert.Single(events, e => e["type"]!.GetValue<string>() == "approval");
        Assert.Equal("Approve", approval["stage"]!.GetValue<string>());
        Assert.Contains($"--token {token}", approval["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(events, e => e["type"]!.GetValue<string>() == "action" && e["action"]!.GetValue<string>() == "Fetch" && e["status"]!.GetValue<string>() == "Succeeded");
        Assert.Contains(events, e => e["type"]!.GetValue<string>() == "action" && e["action"]!.GetValue<string>() == "Manual" && e["status"]!.GetValue<string>() == "Succeeded");
        var end = events[^1];
        Assert.Equal("execution", end["type"]!.GetValue<string>());
        Assert.Equal("Succeeded", end["status"]!.GetValue<string>());
        Assert.StartsWith(id, end["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_approval_fails_the_execution_and_retry_stage_execution_asks_again()
    {
        var id = await CreateAsync("cli-retry");
        var token = (await WaitingApprovalAsync("cli-retry", id))["token"]!.GetValue<string>();

        (await cairn.Aws("codepipeline", "put-approval-result", "--pipeline-name", "cli-retry", "--stage-name", "Approve",
            "--action-name", "Manual", "--result", "summary=not yet,status=Rejected", "--token", token)).Ok();
        var failed = await UntilStatusAsync("cli-retry", id, "Failed");
        var retried = (await cairn.Aws("codepipeline", "retry-stage-execution", "--pipeline-name", "cli-retry", "--stage-name", "Approve",
            "--pipeline-execution-id", id, "--retry-mode", "FAILED_ACTIONS")).Ok();
        var asked = await WaitingApprovalAsync("cli-retry", id);

        Assert.Contains("not yet", failed["statusSummary"]!.GetValue<string>());
        Assert.Equal(id, retried["pipelineExecutionId"]!.GetValue<string>());
        Assert.NotEqual(token, asked["token"]!.GetValue<string>());
        (await cairn.Aws("codepipeline", "retry-stage-execution", "--pipeline-name", "cli-retry", "--stage-name", "Approve",
            "--pipeline-execution-id", id, "--retry-mode", "FAILED_ACTIONS")).Fails("StageNotRetryableException");
        (await cairn.Aws("codepipeline", "put-approval-result", "--pipeline-name", "cli-retry", "--stage-name", "Approve",
            "--action-name", "Manual", "--result", "summary=x,status=Approved", "--token", "11111111-2222-3333-4444-555555555555")).Fails("InvalidApprovalTokenException");
    }

    [Fact]
    public async Task Stop_and_transitions_work_through_the_cli()
    {
        var created = await CreateAsync("cli-stop");
        await WaitingApprovalAsync("cli-stop", created);
        (await cairn.Aws("codepipeline", "stop-pipeline-execution", "--pipeline-name", "cli-stop", "--pipeline-execution-id", created, "--abandon", "--reason", "wrong branch")).Ok();
        await UntilStatusAsync("cli-stop", created, "Stopped");
        var stopped = (await cairn.Aws("codepipeline", "list-pipeline-executions", "--pipeline-name", "cli-stop")).Ok()["pipelineExecutionSummaries"]![0]!;
        Assert.Equal("wrong branch", stopped["stopTrigger"]!["reason"]!.GetValue<string>());
        (await cairn.Aws("codepipeline", "stop-pipeline-execution", "--pipeline-name", "cli-stop", "--pipeline-execution-id", created))
            .Fails("PipelineExecutionNotStoppableException");

        (await cairn.Aws("codepipeline", "disable-stage-transition", "--pipeline-name", "cli-stop", "--stage-name", "Approve",
            "--transition-type", "Inbound", "--reason", "release freeze")).Ok();
        var id = await StartAsync("cli-stop");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonNode approve;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "the execution never waited at the disabled transition");
            await Task.Delay(200);
            approve = (await cairn.Aws("codepipeline", "get-pipeline-state", "--name", "cli-stop")).Ok()["stageStates"]![1]!;
        }
        while (approve["inboundExecution"] is null);

        Assert.False(approve["inboundTransitionState"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("release freeze", approve["inboundTransitionState"]!["disabledReason"]!.GetValue<string>());
        Assert.Equal(id, approve["inboundExecution"]!["pipelineExecutionId"]!.GetValue<string>());
        (await cairn.Aws("codepipeline", "enable-stage-transition", "--pipeline-name", "cli-stop", "--stage-name", "Approve", "--transition-type", "Inbound")).Ok();
        await WaitingApprovalAsync("cli-stop", id);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
