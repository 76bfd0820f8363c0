using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>The stage-condition operations' input shapes (ListRuleTypes, ListRuleExecutions, OverrideStageCondition), from aws-models/codepipeline.
/// Properties, not fields: they use the shapes of the other partial files, whose fields may be initialized after this file's.</summary>
internal static partial class CodePipelineShapes
{
    public static StructureShape ListRuleTypes => new(
        new MemberShape("ruleOwnerFilter", new StringShape(Enum: ["AWS"])),
        new MemberShape("regionFilter", Region));

    public static StructureShape ListRuleExecutions => new(
        new MemberShape("pipelineName", Name, true),
        new MemberShape("filter", new StructureShape(
            new MemberShape("pipelineExecutionId", ExecutionId),
            new MemberShape("latestInPipelineExecution", new StructureShape(
                new MemberShape("pipelineExecutionId", ExecutionId, true),
                new MemberShape("startTimeRange", new StringShape(Enum: ["Latest", "All"]), true))))),
        new MemberShape("maxResults", PageSize),
        new MemberShape("nextToken", NextToken));

    public static StructureShape OverrideStageCondition => new(
        new MemberShape("pipelineName", Name, true),
        new MemberShape("stageName", Name, true),
        new MemberShape("pipelineExecutionId", ExecutionId, true),
        new MemberShape("conditionType", new StringShape(Enum: ["BEFORE_ENTRY", "ON_SUCCESS"]), true));
}
