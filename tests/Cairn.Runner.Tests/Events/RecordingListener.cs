using Cairn.Core.Builds.Events;

namespace Cairn.Runner.Tests.Events;

/// <summary>Keeps every event a sink hands out, in order.</summary>
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

    public IEnumerable<T> Of<T>() where T : BuildEvent => Events.OfType<T>();

    public string Text => string.Join('\n', Of<BuildLogLine>().Select(l => l.Text));

    public void OnEvent(BuildEvent buildEvent)
    {
        lock (_events)
        {
            _events.Add(buildEvent);
        }
    }
}
