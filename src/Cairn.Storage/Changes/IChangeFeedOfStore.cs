namespace Cairn.Storage.Changes;

/// <summary>
/// The change feed of one store (<c>IChangeFeed&lt;IIdentityStore&gt;</c>), so a cache is injected the feed of the store
/// it caches, registered by the same backend that registers the store.
/// </summary>
/// <typeparam name="TStore">The store interface whose writes move the number.</typeparam>
public interface IChangeFeed<TStore> : IChangeFeed
    where TStore : class;
