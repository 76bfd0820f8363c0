using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.CodePipeline;

/// <summary>The execution operations' input shapes (StartPipelineExecution to DisableStageTransition), from aws-models/codepipeline.</summary>
internal static partial class CodePipelineShapes
{
    private const string UuidPattern = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private static readonly StringShape ExecutionId = new(Pattern: UuidPattern);
    private static readonly NumberShape PageSize = new(1, 100);

    public static readonly StructureShape StartPipelineExecution = new(
        new MemberShape("name", Name, true),
        new MemberShape("variables", new ListShape(new StructureShape(
            new MemberShape("name", new StringShape(1, 128, @"[A-Za-z0-9@\-_]+"), true),
            new MemberShape("value", new StringShape(1, 1000, ".*"), true)), 1, 50)),
        new MemberShape("clientRequestToken", new StringShape(1, 128, "^[a-zA-Z0-9-]+$")),
        new MemberShape("sourceRevisions", new ListShape(new StructureShape(
            new MemberShape("actionName", Name, true),
            new MemberShape("revisionType", new StringShape(Enum: ["COMMIT_ID", "IMAGE_DIGEST", "S3_OBJECT_VERSION_ID", "S3_OBJECT_KEY"]), true),
            new MemberShape("revisionValue", new StringShape(1, 1500), true)), 0, 50)));

    public static readonly StructureShape StopPipelineExecution = new(
        new MemberShape("pipelineName", Name, true),
        new MemberShape("pipelineExecutionId", ExecutionId, true),
        new MemberShape("abandon", new BooleanShape()),
        new MemberShape("reason", new StringShape(Max: 200)));

    public static readonly StructureShape GetPipelineState = new(new MemberShape("name", Name, true));

    public static readonly StructureShape GetPipelineExecution = new(
        new MemberShape("pipelineName", Name, true), new MemberShape("pipelineExecutionId", ExecutionId, true));

    public static readonly StructureShape ListPipelineExecutions = new(
        new MemberShape("pipelineName", Name, true),
        new MemberShape("maxResults", PageSize),
        new MemberShape("filter", new StructureShape(new MemberShape("succeededInStage", new StructureShape(new MemberShape("stageName", Name))))),
        new MemberShape("nextToken", NextToken));

    public static readonly StructureShape ListActionExecutions = new(
        new MemberShape("pipelineName", Name, true),
        new MemberShape("filter", new StructureShape(
            new MemberShape("pipelineExecutionId", ExecutionId),
            new MemberShape("latestInPipelineExecution", new StructureShape(
                new MemberShape("pipelineExecutionId", ExecutionId, true),
                new MemberShape("startTimeRange", new StringShape(Enum: ["Latest", "All"]), true))))),
        new MemberShape("maxResults", PageSize),
        new MemberShape("nextToken", NextToken));

    public static readonly StructureShape PutApprovalResult = new(
        new MemberShape("pipelineName", Name, true),
        new MemberShape("stageName", Name, true),
        new MemberShape("actionName", Name, true),
        new MemberShape("result", new StructureShape(
            new MemberShape("summary", new StringShape(0, 512), true),
            new MemberShape("status", new StringShape(Enum: ["Approved", "Rejected"]), true)), true),
        new MemberShape("token", new StringShape(Pattern: UuidPattern), true));

    public static readonly StructureShape RetryStageExecution = new(
        new MemberShape("pipelineName", Name, true),
        new MemberShape("stageName", Name, true),
        new MemberShape("pipelineExecutionId", ExecutionId, true),
        new MemberShape("retryMode", new StringShape(Enum: ["FAILED_ACTIONS", "ALL_ACTIONS"]), true));

    public static readonly StructureShape RollbackStage = new(
        new MemberShape("pipelineName", Name, true),
        new MemberShape("stageName", Name, true),
        new MemberShape("targetPipelineExecutionId", ExecutionId, true));

    public static readonly StructureShape EnableStageTransition = new(
        new MemberShape("pipelineName", Name, true),
        new MemberShape("stageName", Name, true),
        new MemberShape("transitionType", new StringShape(Enum: ["Inbound", "Outbound"]), true));

    public static readonly StructureShape DisableStageTransition = new(
        new MemberShape("pipelineName", Name, true),
        new MemberShape("stageName", Name, true),
        new MemberShape("transitionType", new StringShape(Enum: ["Inbound", "Outbound"]), true),
        new MemberShape("reason", new StringShape(1, 300, @"[a-zA-Z0-9!@ \(\)\.\*\?\-]+"), true));
}
