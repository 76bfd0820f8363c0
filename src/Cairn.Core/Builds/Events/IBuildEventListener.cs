namespace Cairn.Core.Builds.Events;

/// <summary>
/// Receives a build's events in order, on the thread that emitted them, one at a time. A listener must be quick and must
/// not throw: one that writes to storage hands the event to its own queue.
/// </summary>
public interface IBuildEventListener
{
    void OnEvent(BuildEvent buildEvent);
}
