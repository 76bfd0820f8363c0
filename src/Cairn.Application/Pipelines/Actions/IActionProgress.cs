namespace Cairn.Application.Pipelines.Actions;

/// <summary>What a running action tells the engine before it ends; the engine persists it at once.</summary>
public interface IActionProgress
{
    /// <summary>
    /// What the action started elsewhere (a build's id and a link to it), shown in GetPipelineState while it runs and
    /// handed back in <see cref="ActionRun.ExternalExecutionId"/> when the engine resumes the action after a restart.
    /// </summary>
    Task ReportAsync(string? externalExecutionId, string? externalExecutionUrl, string? summary, CancellationToken cancellationToken);

    /// <summary>A line for the execution's activity (cairn pipeline watch); masked and never a secret.</summary>
    void Log(string line);
}
