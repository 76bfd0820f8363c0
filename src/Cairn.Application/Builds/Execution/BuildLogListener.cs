using Cairn.Core.Builds.Events;
using Cairn.Storage.BuildLogs;

namespace Cairn.Application.Builds.Execution;

/// <summary>Appends each (masked) line of a build's log, with the time it was said, to the build's log in the store; written out once per batch of events.</summary>
internal sealed class BuildLogListener(IBuildLogWriter writer) : IBuildEventListener
{
    public void OnEvent(BuildEvent buildEvent)
    {
        if (buildEvent is BuildLogLine line)
        {
            writer.AppendBatched(line.Text, line.Time);
        }
        else if (buildEvent is BuildOutputBlock block)
        {
            writer.AppendBlock(block.Bytes.Span, block.Time);
        }
    }

    public void Flush() => writer.Flush();
}
