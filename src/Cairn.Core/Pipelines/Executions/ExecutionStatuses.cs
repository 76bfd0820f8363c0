namespace Cairn.Core.Pipelines.Executions;

/// <summary>AWS's PipelineExecutionStatus, StageExecutionStatus and ActionExecutionStatus values, as the wire spells them.</summary>
public static class ExecutionStatuses
{
    public const string InProgress = "InProgress";
    public const string Stopping = "Stopping";
    public const string Stopped = "Stopped";
    public const string Succeeded = "Succeeded";
    public const string Superseded = "Superseded";
    public const string Failed = "Failed";
    public const string Cancelled = "Cancelled";

    /// <summary>An action execution the engine gave up on (StopPipelineExecution with abandon, a superseded or stopped execution).</summary>
    public const string Abandoned = "Abandoned";

    /// <summary>Whether an execution is still being worked on: the engine advances these, and resumes them after a restart.</summary>
    public static bool IsActive(string status) => status is InProgress or Stopping;
}

/// <summary>AWS's ExecutionType and the execution modes.</summary>
public static class ExecutionKinds
{
    public const string Standard = "STANDARD";
    public const string Rollback = "ROLLBACK";

    public const string Superseded = "SUPERSEDED";
    public const string Queued = "QUEUED";
    public const string Parallel = "PARALLEL";

    public const string FailedActions = "FAILED_ACTIONS";
    public const string AllActions = "ALL_ACTIONS";
}
