using System.Text.Json.Nodes;
using Cairn.Application.Pipelines;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Services.CodePipeline;
using Cairn.Server.Tests.Ssm;

namespace Cairn.Server.Tests.CodePipeline.Engine;

/// <summary>
/// Stage conditions through the JSON adapter: GetPipelineState's condition states, ListRuleExecutions, OverrideStageCondition
/// and their authorization. (The aws CLI 2.9 and the system's boto3 carry a model without beforeEntry and these
/// operations, so no compat test can drive them: these tests are the wire-level check.)
/// </summary>
public sealed class ConditionOperationTests : EngineFixture
{
    private const string Caller = "arn:aws:iam::000000000000:user/ci";

    public ConditionOperationTests()
    {
        var pipelines = new PipelineService(Pipelines, Authorizer, Clock, Engine);
        Service = new CodePipelineService(pipelines, new PipelineExecutionService(Pipelines, Executions, Engine, Authorizer));
    }

    internal RecordingAuthorizer Authorizer { get; } = new();

    internal CodePipelineService Service { get; }

    private static RequestContext Context() =>
        new(new Principal(PrincipalKind.User, "000000000000", Caller, "AIDAEXAMPLE", "ci"), "us-east-1", "req-1", "127.0.0.1", DateTimeOffset.UtcNow);

    private Task<JsonObject> CallAsync(string operation, string input) => Service.InvokeAsync(operation, JsonNode.Parse(input)!.AsObject(), Context(), CancellationToken.None);

    private async Task<string> CreateAndRunAsync(string name, string rule)
    {
        await CallAsync("CreatePipeline", $$$"""
            {"pipeline":{"name":"{{{name}}}","roleArn":"{{{Role}}}","artifactStore":{"type":"S3","location":"artifacts"},"pipelineType":"V2",
             "stages":[{"name":"Source","actions":[{"name":"Fetch","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"},
               "configuration":{"ConnectionArn":"arn:aws:codeconnections:us-east-1:000000000000:connection/c","FullRepositoryId":"a/b","BranchName":"main"},"outputArtifacts":[{"name":"Src"}]}]},
              {"name":"Approve","actions":[{"name":"Manual","actionTypeId":{"category":"Approval","owner":"AWS","provider":"Manual","version":"1"}}],
               "beforeEntry":{"conditions":[{"result":"FAIL","rules":[{{{rule}}}]}]}}]}}
            """);
        // CreatePipeline starts the pipeline's first execution, as AWS does: that one is the run under test.
        var executions = (await CallAsync("ListPipelineExecutions", $$$"""{"pipelineName":"{{{name}}}"}"""))["pipelineExecutionSummaries"]!.AsArray();
        return Assert.Single(executions)!["pipelineExecutionId"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_failed_entry_condition_shows_in_GetPipelineState_and_ListRuleExecutions_and_cannot_be_overridden()
    {
        var id = await CreateAndRunAsync("gated", """
            {"name":"OnlyThisRun","ruleTypeId":{"category":"Rule","owner":"AWS","provider":"VariableCheck","version":"1"},
             "configuration":{"Variable":"#{codepipeline.PipelineExecutionId}","Value":"someone-else","Operator":"EQ"}}
            """);
        await UntilStatusAsync(await GetAsync("gated", id), "Failed");

        var approve = (await CallAsync("GetPipelineState", """{"name":"gated"}"""))["stageStates"]![1]!;
        var rules = await CallAsync("ListRuleExecutions", $$$"""{"pipelineName":"gated","filter":{"pipelineExecutionId":"{{{id}}}"}}""");
        var refused = await Assert.ThrowsAsync<AwsException>(() => CallAsync("OverrideStageCondition",
            $$$"""{"pipelineName":"gated","stageName":"Approve","pipelineExecutionId":"{{{id}}}","conditionType":"BEFORE_ENTRY"}"""));

        Assert.Equal("Failed", approve["latestExecution"]!["status"]!.GetValue<string>());
        var entry = approve["beforeEntryConditionState"]!;
        Assert.Equal("Failed", entry["latestExecution"]!["status"]!.GetValue<string>());
        var rule = entry["conditionStates"]![0]!["ruleStates"]![0]!;
        Assert.Equal("OnlyThisRun", rule["ruleName"]!.GetValue<string>());
        Assert.Equal("Failed", rule["latestExecution"]!["status"]!.GetValue<string>());
        Assert.Equal("ConditionNotMet", rule["latestExecution"]!["errorDetails"]!["code"]!.GetValue<string>());
        Assert.Null(approve["actionStates"]![0]!["latestExecution"]);
        Assert.Null(approve["onSuccessConditionState"]);

        var detail = Assert.Single(rules["ruleExecutionDetails"]!.AsArray())!;
        Assert.Equal(id, detail["pipelineExecutionId"]!.GetValue<string>());
        Assert.Equal("Approve", detail["stageName"]!.GetValue<string>());
        Assert.Equal("Failed", detail["status"]!.GetValue<string>());
        Assert.Equal("VariableCheck", detail["input"]!["ruleTypeId"]!["provider"]!.GetValue<string>());
        Assert.Equal("#{codepipeline.PipelineExecutionId}", detail["input"]!["configuration"]!["Variable"]!.GetValue<string>());
        Assert.Equal(id, detail["input"]!["resolvedConfiguration"]!["Variable"]!.GetValue<string>());
        Assert.Equal(Role, detail["input"]!["roleArn"]!.GetValue<string>());
        Assert.Contains($"is '{id}', and the rule checks EQ 'someone-else'", detail["output"]!["executionResult"]!["errorDetails"]!["message"]!.GetValue<string>());

        Assert.Equal("ConditionNotOverridableException", refused.Code);
        Assert.Contains(("codepipeline:ListRuleExecutions", "arn:aws:codepipeline:us-east-1:000000000000:gated"), Authorizer.Calls);
        Assert.Contains(("codepipeline:OverrideStageCondition", "arn:aws:codepipeline:us-east-1:000000000000:gated/Approve"), Authorizer.Calls);
    }

    [Fact]
    public async Task OverrideStageCondition_lets_an_execution_waiting_for_its_window_into_the_stage()
    {
        var id = await CreateAndRunAsync("windowed", """
            {"name":"OfficeHours","ruleTypeId":{"category":"Rule","owner":"AWS","provider":"DeploymentWindow","version":"1"},
             "configuration":{"Cron":"* * 9-16 ? * MON-FRI *","TimeZone":"UTC"}}
            """);
        await UntilAsync(await GetAsync("windowed", id), e => e.Condition("Approve", "BEFORE_ENTRY")?.Status == "InProgress");
        var waiting = (await CallAsync("GetPipelineState", """{"name":"windowed"}"""))["stageStates"]![1]!["beforeEntryConditionState"]!;

        await CallAsync("OverrideStageCondition", $$$"""{"pipelineName":"windowed","stageName":"Approve","pipelineExecutionId":"{{{id}}}","conditionType":"BEFORE_ENTRY"}""");

        var entered = await UntilAsync(await GetAsync("windowed", id), e => e.Actions.Any(a => a.ActionName == "Manual"));
        Assert.Equal("InProgress", waiting["latestExecution"]!["status"]!.GetValue<string>());
        Assert.Contains("opens at 2030-01-01 09:00 UTC", waiting["latestExecution"]!["summary"]!.GetValue<string>());
        var overridden = entered.Condition("Approve", "BEFORE_ENTRY")!;
        Assert.Equal("Overridden", overridden.Status);
        Assert.Equal(Caller, overridden.UpdatedBy);
        var missing = await Assert.ThrowsAsync<AwsException>(() => CallAsync("OverrideStageCondition",
            """{"pipelineName":"windowed","stageName":"Nope","pipelineExecutionId":"11111111-2222-3333-4444-555555555555","conditionType":"BEFORE_ENTRY"}"""));
        Assert.Equal("StageNotFoundException", missing.Code);
    }
}
