namespace Cairn.Dashboard.Hosting;

/// <summary>The pipelines pages and their forms.</summary>
public static partial class DashboardRoutes
{
    public const string Pipelines = "/pipelines";

    public static string Pipeline(string name) => $"/pipelines/{Uri.EscapeDataString(name)}";

    public static string PipelineApproval(string name) => $"{Pipeline(name)}/approval";

    public static string PipelineRetry(string name) => $"{Pipeline(name)}/retry";

    public static string PipelineStop(string name) => $"{Pipeline(name)}/stop";

    /// <summary>Server-Sent Events: the pipeline's executions changed (Pipelines/PipelineChangesEndpoint).</summary>
    public static string PipelineChanges(string name) => $"{Pipeline(name)}/changes";
}
