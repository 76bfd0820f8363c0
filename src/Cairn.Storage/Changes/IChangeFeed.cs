namespace Cairn.Storage.Changes;

/// <summary>
/// Tells a cache in front of a store that the store changed: a number that moves on every write the store commits,
/// whichever process makes it. A reader keys what it derived from the store on the number and derives again when it
/// moves. How soon another process's write is seen is the implementation's promise (see docs/adr/0002-storage-seam.md):
/// SQLite polls a trigger-kept counter, PostgreSQL can bump the number on each LISTEN/NOTIFY message.
/// </summary>
public interface IChangeFeed
{
    /// <summary>
    /// The number as this process has seen it; two equal answers mean no change was seen in between. Answered from
    /// memory on most calls, so a request path may ask it on every request.
    /// </summary>
    ValueTask<long> CurrentAsync(CancellationToken cancellationToken);
}
