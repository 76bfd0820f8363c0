using System.Text.Json.Nodes;
using Cairn.Application.Pipelines;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Services.CodePipeline;
using Cairn.Server.Tests.Ssm;

namespace Cairn.Server.Tests.CodePipeline.Engine;

/// <summary>The execution operations through the JSON adapter: AWS's shapes, errors and the resources they are authorized on.</summary>
public sealed class ExecutionOperationTests : EngineFixture
{
    private const string Caller = "arn:aws:iam::000000000000:user/ci";
    private const string Missing = "11111111-2222-3333-4444-555555555555";

    public ExecutionOperationTests()
    {
        var pipelines = new PipelineService(Pipelines, Authorizer, Clock, Engine);
        Service = new CodePipelineService(pipelines, new PipelineExecutionService(Pipelines, Executions, Engine, Authorizer));
    }

    internal RecordingAuthorizer Authorizer { get; } = new();

    internal CodePipelineService Service { get; }

    private static RequestContext Context() =>
        new(new Principal(PrincipalKind.User, "000000000000", Caller, "AIDAEXAMPLE", "ci"), "us-east-1", "req-1", "127.0.0.1", DateTimeOffset.UtcNow);

    private Task<JsonObject> CallAsync(string operation, string input) => Service.InvokeAsync(operation, JsonNode.Parse(input)!.AsObject(), Context(), CancellationToken.None);

    private async Task<AwsException> FailsAsync(string operation, string input) => await Assert.ThrowsAsync<AwsException>(() => CallAsync(operation, input));

    private async Task CreateAsync(string name = "app") => await CallAsync("CreatePipeline", $$$"""
        {"pipeline":{"name":"{{{name}}}","roleArn":"{{{Role}}}","artifactStore":{"type":"S3","location":"artifacts"},
         "stages":[{"name":"Source","actions":[{"name":"Fetch","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"},
           "configuration":{"ConnectionArn":"arn:aws:codeconnections:us-east-1:000000000000:connection/c","FullRepositoryId":"a/b","BranchName":"main"},"outputArtifacts":[{"name":"Src"}]}]},
          {"name":"Approve","actions":[{"name":"Manual","actionTypeId":{"category":"Approval","owner":"AWS","provider":"Manual","version":"1"},"configuration":{"CustomData":"Ship it?"}}]}]}}
        """);

    private async Task<(string Id, string Token)> StartWaitingAsync(string name = "app")
    {
        var started = await CallAsync("StartPipelineExecution", $$$"""{"name":"{{{name}}}"}""");
        var id = started["pipelineExecutionId"]!.GetValue<string>();
        var waiting = await UntilAsync(await GetAsync(name, id), e => e.Actions.Any(a => a.ActionName == "Manual"));
        return (id, Action(waiting, "Manual").Token!);
    }

    [Fact]
    public async Task A_started_execution_shows_in_GetPipelineState_and_GetPipelineExecution_with_AWSs_members()
    {
        await CreateAsync();
        var (id, token) = await StartWaitingAsync();

        var state = await CallAsync("GetPipelineState", """{"name":"app"}""");
        var execution = (await CallAsync("GetPipelineExecution", $$$"""{"pipelineName":"app","pipelineExecutionId":"{{{id}}}"}"""))["pipelineExecution"]!;

        Assert.Equal("app", state["pipelineName"]!.GetValue<string>());
        Assert.Equal(1, state["pipelineVersion"]!.GetValue<int>());
        var source = state["stageStates"]![0]!;
        Assert.Null(source["inboundTransitionState"]);
        Assert.Equal("Succeeded", source["latestExecution"]!["status"]!.GetValue<string>());
        Assert.Equal("commit-1", source["actionStates"]![0]!["currentRevision"]!["revisionId"]!.GetValue<string>());
        var approve = state["stageStates"]![1]!;
        Assert.True(approve["inboundTransitionState"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(id, approve["latestExecution"]!["pipelineExecutionId"]!.GetValue<string>());
        var manual = approve["actionStates"]![0]!["latestExecution"]!;
        Assert.Equal("InProgress", manual["status"]!.GetValue<string>());
        Assert.Equal(token, manual["token"]!.GetValue<string>());
        Assert.StartsWith("Ship it?\nApproving commit ", manual["summary"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal("InProgress", execution["status"]!.GetValue<string>());
        Assert.Equal("StartPipelineExecution", execution["trigger"]!["triggerType"]!.GetValue<string>());
        Assert.Equal(Caller, execution["trigger"]!["triggerDetail"]!.GetValue<string>());
        Assert.Equal("SUPERSEDED", execution["executionMode"]!.GetValue<string>());
        Assert.Equal("STANDARD", execution["executionType"]!.GetValue<string>());
        Assert.Equal("Src", execution["artifactRevisions"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("commit-1", execution["artifactRevisions"]![0]!["revisionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutApprovalResult_on_the_actions_ARN_approves_and_the_history_lists_the_execution_and_its_actions()
    {
        await CreateAsync();
        var (id, token) = await StartWaitingAsync();

        var approved = await CallAsync("PutApprovalResult",
            $$$"""{"pipelineName":"app","stageName":"Approve","actionName":"Manual","result":{"summary":"fine","status":"Approved"},"token":"{{{token}}}"}""");
        await UntilStatusAsync(await GetAsync("app", id), "Succeeded");
        var executions = await CallAsync("ListPipelineExecutions", """{"pipelineName":"app"}""");
        var actions = await CallAsync("ListActionExecutions", $$$"""{"pipelineName":"app","filter":{"pipelineExecutionId":"{{{id}}}"}}""");

        Assert.NotNull(approved["approvedAt"]);
        Assert.Contains(("codepipeline:PutApprovalResult", "arn:aws:codepipeline:us-east-1:000000000000:app/Approve/Manual"), Authorizer.Calls);
        var summary = Assert.Single(executions["pipelineExecutionSummaries"]!.AsArray())!;
        Assert.Equal("Succeeded", summary["status"]!.GetValue<string>());
        Assert.Equal("Fetch", summary["sourceRevisions"]![0]!["actionName"]!.GetValue<string>());
        var details = actions["actionExecutionDetails"]!.AsArray();
        Assert.Equal(["Manual", "Fetch"], details.Select(d => d!["actionName"]!.GetValue<string>()));
        Assert.Equal(Caller, details[0]!["updatedBy"]!.GetValue<string>());
        Assert.Equal("fine", details[0]!["output"]!["executionResult"]!["externalExecutionSummary"]!.GetValue<string>());
        Assert.Equal("artifacts", details[1]!["output"]!["outputArtifacts"]![0]!["s3location"]!["bucket"]!.GetValue<string>());
        Assert.Equal("commit-1", details[1]!["output"]!["outputVariables"]!["CommitId"]!.GetValue<string>());
        Assert.Equal("main", details[1]!["input"]!["configuration"]!["BranchName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_input_gets_AWSs_exceptions()
    {
        await CreateAsync();
        var (id, token) = await StartWaitingAsync();

        Assert.Equal("PipelineNotFoundException", (await FailsAsync("StartPipelineExecution", """{"name":"nope"}""")).Code);
        Assert.Equal("ValidationException", (await FailsAsync("StartPipelineExecution", """{"name":"app","variables":[{"name":"env","value":"x"}]}""")).Code);
        Assert.Equal("ValidationException", (await FailsAsync("GetPipelineExecution", """{"pipelineName":"app","pipelineExecutionId":"not-a-uuid"}""")).Code);
        Assert.Equal("PipelineExecutionNotFoundException", (await FailsAsync("GetPipelineExecution", $$$"""{"pipelineName":"app","pipelineExecutionId":"{{{Missing}}}"}""")).Code);
        Assert.Equal("InvalidApprovalTokenException", (await FailsAsync("PutApprovalResult",
            $$$"""{"pipelineName":"app","stageName":"Approve","actionName":"Manual","result":{"summary":"x","status":"Approved"},"token":"{{{Missing}}}"}""")).Code);
        Assert.Equal("StageNotFoundException", (await FailsAsync("PutApprovalResult",
            $$$"""{"pipelineName":"app","stageName":"Aprove","actionName":"Manual","result":{"summary":"x","status":"Approved"},"token":"{{{token}}}"}""")).Code);
        Assert.Equal("ActionNotFoundException", (await FailsAsync("PutApprovalResult",
            $$$"""{"pipelineName":"app","stageName":"Approve","actionName":"Fetch","result":{"summary":"x","status":"Approved"},"token":"{{{token}}}"}""")).Code);
        Assert.Equal("ValidationException", (await FailsAsync("PutApprovalResult",
            $$$"""{"pipelineName":"app","stageName":"Approve","actionName":"Manual","result":{"summary":"x","status":"Maybe"},"token":"{{{token}}}"}""")).Code);
        Assert.Equal("StageNotRetryableException", (await FailsAsync("RetryStageExecution",
            $$$"""{"pipelineName":"app","stageName":"Approve","pipelineExecutionId":"{{{id}}}","retryMode":"FAILED_ACTIONS"}""")).Code);
        Assert.Equal("PipelineExecutionNotFoundException", (await FailsAsync("StopPipelineExecution", $$$"""{"pipelineName":"app","pipelineExecutionId":"{{{Missing}}}"}""")).Code);
        Assert.Equal("UnableToRollbackStageException", (await FailsAsync("RollbackStage",
            $$$"""{"pipelineName":"app","stageName":"Approve","targetPipelineExecutionId":"{{{id}}}"}""")).Code);

        await CallAsync("StopPipelineExecution", $$$"""{"pipelineName":"app","pipelineExecutionId":"{{{id}}}","abandon":true,"reason":"no"}""");
        await UntilStatusAsync(await GetAsync("app", id), "Stopped");
        Assert.Equal("PipelineExecutionNotStoppableException", (await FailsAsync("StopPipelineExecution", $$$"""{"pipelineName":"app","pipelineExecutionId":"{{{id}}}"}""")).Code);
        Assert.Equal("ApprovalAlreadyCompletedException", (await FailsAsync("PutApprovalResult",
            $$$"""{"pipelineName":"app","stageName":"Approve","actionName":"Manual","result":{"summary":"x","status":"Approved"},"token":"{{{token}}}"}""")).Code);
        var summary = (await CallAsync("ListPipelineExecutions", """{"pipelineName":"app"}"""))["pipelineExecutionSummaries"]![0]!;
        Assert.Equal("no", summary["stopTrigger"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_client_request_token_given_twice_starts_one_execution()
    {
        await CreateAsync();

        var first = await CallAsync("StartPipelineExecution", """{"name":"app","clientRequestToken":"deploy-42"}""");
        var second = await CallAsync("StartPipelineExecution", """{"name":"app","clientRequestToken":"deploy-42"}""");

        Assert.Equal(first["pipelineExecutionId"]!.GetValue<string>(), second["pipelineExecutionId"]!.GetValue<string>());
        Assert.Single((await CallAsync("ListPipelineExecutions", """{"pipelineName":"app"}"""))["pipelineExecutionSummaries"]!.AsArray());
    }

    [Fact]
    public async Task A_disabled_transition_shows_its_reason_and_who_changed_it_and_holds_the_execution_until_enabled()
    {
        await CreateAsync();
        await CallAsync("DisableStageTransition", """{"pipelineName":"app","stageName":"Approve","transitionType":"Inbound","reason":"release freeze"}""");

        var started = await CallAsync("StartPipelineExecution", """{"name":"app"}""");
        var id = started["pipelineExecutionId"]!.GetValue<string>();
        await UntilAsync(await GetAsync("app", id), e => e.WaitingForStage == "Approve");
        var approve = (await CallAsync("GetPipelineState", """{"name":"app"}"""))["stageStates"]![1]!;

        Assert.Contains(("codepipeline:DisableStageTransition", "arn:aws:codepipeline:us-east-1:000000000000:app/Approve"), Authorizer.Calls);
        Assert.False(approve["inboundTransitionState"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("release freeze", approve["inboundTransitionState"]!["disabledReason"]!.GetValue<string>());
        Assert.Equal(Caller, approve["inboundTransitionState"]!["lastChangedBy"]!.GetValue<string>());
        Assert.Equal(id, approve["inboundExecution"]!["pipelineExecutionId"]!.GetValue<string>());

        await CallAsync("EnableStageTransition", """{"pipelineName":"app","stageName":"Source","transitionType":"Outbound"}""");
        await UntilAsync(await GetAsync("app", id), e => e.Actions.Any(a => a.ActionName == "Manual"));
        Assert.Equal("StageNotFoundException", (await FailsAsync("EnableStageTransition", """{"pipelineName":"app","stageName":"Nope","transitionType":"Inbound"}""")).Code);
    }

    [Fact]
    public async Task Deleting_a_pipeline_removes_its_executions()
    {
        await CreateAsync();
        var (id, _) = await StartWaitingAsync();

        await CallAsync("DeletePipeline", """{"name":"app"}""");
        await CreateAsync();

        Assert.Empty((await CallAsync("ListPipelineExecutions", """{"pipelineName":"app"}"""))["pipelineExecutionSummaries"]!.AsArray());
        Assert.Equal("PipelineExecutionNotFoundException", (await FailsAsync("GetPipelineExecution", $$$"""{"pipelineName":"app","pipelineExecutionId":"{{{id}}}"}""")).Code);
    }
}
