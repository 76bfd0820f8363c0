namespace Cairn.Storage.Changes;

/// <summary>
/// Tells a cache in front of a store that the store changed: a number that moves forward (never back) when the store
/// commits a change that caches over it must see, whichever process makes it; each store's interface says which writes
/// count. A reader keys what it derived from the store on the number and derives again when it moves. How soon another
/// process's change is seen is the implementation's promise (docs/adr/0002-storage-seam.md): SQLite reads a counter
/// its triggers keep, PostgreSQL can move the number on each LISTEN/NOTIFY message.
/// </summary>
public interface IChangeFeed
{
    /// <summary>
    /// The number as this process has seen it; two equal answers mean no change was seen in between. Cheap enough to ask
    /// on every request: implementations answer from memory, or with one indexed read of an embedded database.
    /// </summary>
    ValueTask<long> CurrentAsync(CancellationToken cancellationToken);
}
