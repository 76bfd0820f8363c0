using Cairn.Core.Builds.Events;

namespace Cairn.Runner.Tests.Events;

/// <summary>
/// Keeps every event a sink hands out, in order; a block of output is kept as a <see cref="BuildLogLine"/> per line (its
/// bytes are the sink's to reuse), and counted in <see cref="Blocks"/>.
/// </summary>
internal sealed class RecordingListener : IBuildEventListener
{
    private readonly List<BuildEvent> _events = [];

    public IReadOnlyList<BuildEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public int Blocks { get; private set; }

    public IEnumerable<T> Of<T>() where T : BuildEvent => Events.OfType<T>();

    public string Text => string.Join('\n', Of<BuildLogLine>().Select(l => l.Text));

    public void OnEvent(BuildEvent buildEvent)
    {
        lock (_events)
        {
            if (buildEvent is BuildOutputBlock block)
            {
                Blocks++;
                Assert.Equal(block.LineCount, block.Lines().Count);
                _events.AddRange(block.Lines().Select(text => new BuildLogLine(block.Time, text, null)));
                return;
            }

            _events.Add(buildEvent);
        }
    }
}
