namespace Cairn.Core.Builds;

/// <summary>CodeBuild's StatusType values, used for builds and for phases.</summary>
public static class BuildStatuses
{
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
    public const string Fault = "FAULT";
    public const string TimedOut = "TIMED_OUT";
    public const string InProgress = "IN_PROGRESS";
    public const string Stopped = "STOPPED";
}
