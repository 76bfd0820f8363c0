using System.Text;
using Cairn.Core.Builds.Events;

namespace Cairn.Runner.Events;

/// <summary>Writes the build log as plain text, one line per log event, to a stream (a file, a test's buffer, stdout).</summary>
public sealed class LogTextListener(Stream output) : IBuildEventListener
{
    public void OnEvent(BuildEvent buildEvent)
    {
        if (buildEvent is BuildLogLine line)
        {
            output.Write(Encoding.UTF8.GetBytes(line.Text + "\n"));
        }
    }
}
