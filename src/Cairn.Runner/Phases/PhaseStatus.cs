namespace Cairn.Runner.Phases;

/// <summary>CodeBuild's phase (and build) statuses; <see cref="PhaseStatusNames"/> gives the wire spelling.</summary>
public enum PhaseStatus
{
    Succeeded,
    Failed,
    Fault,
    TimedOut,
    InProgress,
    Stopped,
}
