using Cairn.Core.Builds.Events;
using Cairn.Server.Services.CodeBuild.Logs;

namespace Cairn.Server.Services.CodeBuild.Execution;

/// <summary>Appends each (masked) line of a build's log to its log in the store, where CloudWatch Logs reads and live viewers find it.</summary>
internal sealed class BuildLogListener(BuildLogWriter writer) : IBuildEventListener
{
    public void OnEvent(BuildEvent buildEvent)
    {
        if (buildEvent is BuildLogLine line)
        {
            writer.WriteLine(line.Text);
        }
    }
}
