using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>The stage-condition operations' input shapes (ListRuleTypes, ListRuleExecutions, OverrideStageCondition), from aws-models/codepipeline.
/// Properties, not fields: they use the shapes of the other partial files, whose fields may be initialized after this file's.</summary>
internal static partial class CodePipelineShapes
{
    public static StructureShape ListRuleTypes => new(
        new MemberShape("ruleOwnerFilter", new StringShape(Enum: ["AWS"])),
        new MemberShape("regionFilter", Region));

    /// <summary>AWS's ListRuleExecutionsInput has ListActionExecutionsInput's members (RuleExecutionFilter is ActionExecutionFilter's shape).</summary>
    public static StructureShape ListRuleExecutions => ListActionExecutions;

    public static StructureShape OverrideStageCondition => new(
        new MemberShape("pipelineName", Name, true),
        new MemberShape("stageName", Name, true),
        new MemberShape("pipelineExecutionId", ExecutionId, true),
        new MemberShape("conditionType", new StringShape(Enum: ["BEFORE_ENTRY", "ON_SUCCESS"]), true));
}
