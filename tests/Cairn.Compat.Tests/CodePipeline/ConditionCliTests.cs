using System.Text.Json.Nodes;
using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.CodePipeline;

/// <summary>
/// Stage conditions through the real aws CLI (its model has beforeEntry, list-rule-types, list-rule-executions and
/// override-stage-condition): a beforeEntry VariableCheck on the source's commit that fails the stage, as
/// get-pipeline-state and list-rule-executions show it; the rule types; an override of a condition that is not waiting.
/// </summary>
public sealed class ConditionCliTests(PipelineEngineCairnFixture cairn) : IClassFixture<PipelineEngineCairnFixture>, IDisposable
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codepipeline.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-pipeline-conditions-").FullName;

    [Fact]
    public async Task A_failing_beforeEntry_VariableCheck_fails_the_stage_and_shows_in_state_and_rule_executions()
    {
        if ((await cairn.Aws("iam", "get-role", "--role-name", "pipeline-conditions")).ExitCode != 0)
        {
            (await cairn.Aws("iam", "create-role", "--role-name", "pipeline-conditions", "--assume-role-policy-document", Trust)).Ok();
        }

        var path = Path.Combine(_directory, "gated.json");
        await File.WriteAllTextAsync(path, """
            {"pipeline":{"name":"gated","roleArn":"arn:aws:iam::000000000000:role/pipeline-conditions","artifactStore":{"type":"S3","location":"artifacts"},
             "pipelineType":"V2",
             "stages":[{"name":"Source","actions":[{"name":"Fetch","actionTypeId":{"category":"Source","owner":"AWS","provider":"CodeStarSourceConnection","version":"1"},
               "configuration":{"ConnectionArn":"arn:aws:codeconnections:us-east-1:000000000000:connection/c","FullRepositoryId":"team/app","BranchName":"main"},
               "outputArtifacts":[{"name":"Src"}],"namespace":"SourceVariables"}]},
              {"name":"Approve","actions":[{"name":"Manual","actionTypeId":{"category":"Approval","owner":"AWS","provider":"Manual","version":"1"}}],
               "beforeEntry":{"conditions":[{"result":"FAIL","rules":[{"name":"ReleaseCommit",
                 "ruleTypeId":{"category":"Rule","owner":"AWS","provider":"VariableCheck","version":"1"},
                 "configuration":{"Variable":"#{SourceVariables.CommitId}","Value":"fffffff","Operator":"EQ"}}]}]}}]}}
            """);
        (await cairn.Aws("codepipeline", "create-pipeline", "--cli-input-json", "file://" + path)).Ok();
        var id = (await cairn.Aws("codepipeline", "start-pipeline-execution", "--name", "gated")).Ok()["pipelineExecutionId"]!.GetValue<string>();

        JsonNode execution;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            execution = (await cairn.Aws("codepipeline", "get-pipeline-execution", "--pipeline-name", "gated", "--pipeline-execution-id", id)).Ok()["pipelineExecution"]!;
            Assert.True(DateTime.UtcNow < deadline, execution.ToJsonString());
        }
        while (execution["status"]!.GetValue<string>() == "InProgress");

        var state = (await cairn.Aws("codepipeline", "get-pipeline-state", "--name", "gated")).Ok();
        var rules = (await cairn.Aws("codepipeline", "list-rule-executions", "--pipeline-name", "gated", "--filter", $"pipelineExecutionId={id}")).Ok();
        var types = (await cairn.Aws("codepipeline", "list-rule-types")).Ok();
        var refused = (await cairn.Aws("codepipeline", "override-stage-condition", "--pipeline-name", "gated", "--stage-name", "Approve",
            "--pipeline-execution-id", id, "--condition-type", "BEFORE_ENTRY")).Fails("ConditionNotOverridableException");

        Assert.Equal("Failed", execution["status"]!.GetValue<string>());
        var approve = state["stageStates"]![1]!;
        Assert.Equal("Failed", approve["latestExecution"]!["status"]!.GetValue<string>());
        var entry = approve["beforeEntryConditionState"]!;
        Assert.Equal("Failed", entry["latestExecution"]!["status"]!.GetValue<string>());
        var rule = entry["conditionStates"]![0]!["ruleStates"]![0]!;
        Assert.Equal("ReleaseCommit", rule["ruleName"]!.GetValue<string>());
        Assert.Equal("Failed", rule["latestExecution"]!["status"]!.GetValue<string>());
        Assert.Null(approve["actionStates"]![0]!["latestExecution"]);

        var detail = Assert.Single(rules["ruleExecutionDetails"]!.AsArray())!;
        Assert.Equal("Approve", detail["stageName"]!.GetValue<string>());
        Assert.Equal("#{SourceVariables.CommitId}", detail["input"]!["configuration"]!["Variable"]!.GetValue<string>());
        Assert.Equal("0123abc", detail["input"]!["resolvedConfiguration"]!["Variable"]!.GetValue<string>());
        Assert.Contains("is '0123abc', and the rule checks EQ 'fffffff'", detail["output"]!["executionResult"]!["errorDetails"]!["message"]!.GetValue<string>());

        Assert.Contains(types["ruleTypes"]!.AsArray(), t => t!["id"]!["provider"]!.GetValue<string>() == "DeploymentWindow");
        Assert.Contains("only a condition that is InProgress", refused);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
