using Cairn.Core.Builds;

namespace Cairn.Runner.Phases;

/// <summary>How a phase ended, with CodeBuild's phase context (status code and message) and Cairn's hint.</summary>
/// <param name="ContextStatusCode">e.g. COMMAND_EXECUTION_ERROR; empty when the phase succeeded.</param>
/// <param name="ContextMessage">e.g. "Error while executing command: make. Reason: exit status 2"; empty on success.</param>
/// <param name="FailedCommand">The first command (or finally command) that failed.</param>
/// <param name="ExitCode">That command's exit status.</param>
/// <param name="Hint">What probably went wrong and how to fix it ("did you mean ..."), when known.</param>
public sealed record PhaseOutcome(
    string Status,
    string ContextStatusCode,
    string ContextMessage,
    string? FailedCommand = null,
    int? ExitCode = null,
    string? Hint = null)
{
    public bool Succeeded => Status == BuildStatuses.Succeeded;
}
