namespace Cairn.Core.Builds.Events;

/// <summary>
/// One line of the build log, masked, without its newline. <see cref="Message"/> is set for the runner's own lines
/// (<see cref="Text"/> is then "[Container] &lt;time&gt; &lt;Message&gt;", as CodeBuild writes them) and null for command output.
/// </summary>
public sealed record BuildLogLine(DateTimeOffset Time, string Text, string? Message) : BuildEvent(Time)
{
    public bool IsRunnerLine => Message is not null;
}
