using Cairn.Storage.Parameters;

namespace Cairn.Storage.Sqlite;

/// <summary>Where the SQLite backend keeps its database file, and how much memory its caches may take.</summary>
/// <param name="DatabasePath">The database file (created 0600 if missing), e.g. &lt;data&gt;/cairn.db.</param>
/// <param name="ParameterCacheBytes">Memory for cached parameter heads (an estimate in bytes; 0 turns the cache off).</param>
public sealed record SqliteStorageOptions(string DatabasePath, long ParameterCacheBytes = ParameterHeadCache.DefaultBudgetBytes);
