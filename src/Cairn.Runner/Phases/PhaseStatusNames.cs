namespace Cairn.Runner.Phases;

public static class PhaseStatusNames
{
    /// <summary>The status as CodeBuild writes it: SUCCEEDED, FAILED, FAULT, TIMED_OUT, IN_PROGRESS, STOPPED.</summary>
    public static string ToCodeBuildName(this PhaseStatus status) => status switch
    {
        PhaseStatus.Succeeded => "SUCCEEDED",
        PhaseStatus.Failed => "FAILED",
        PhaseStatus.Fault => "FAULT",
        PhaseStatus.TimedOut => "TIMED_OUT",
        PhaseStatus.InProgress => "IN_PROGRESS",
        PhaseStatus.Stopped => "STOPPED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
