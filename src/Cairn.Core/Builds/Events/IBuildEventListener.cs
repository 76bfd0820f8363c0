namespace Cairn.Core.Builds.Events;

/// <summary>
/// Receives a build's events in order, on the thread that emitted them, one at a time. A listener must be quick and must
/// not throw: one that writes to storage hands the event to its own queue.
/// </summary>
public interface IBuildEventListener
{
    void OnEvent(BuildEvent buildEvent);

    /// <summary>
    /// The events so far end a batch (a chunk of command output, a runner line): a listener that buffers what it writes
    /// writes it out now, so a build printing megabytes costs a write per chunk, not per line, and nothing waits.
    /// </summary>
    void Flush()
    {
    }
}
