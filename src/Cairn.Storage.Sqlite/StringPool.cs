using System.Collections.Concurrent;

namespace Cairn.Storage.Sqlite;

/// <summary>
/// One shared instance per distinct value for columns that repeat across many rows (a parameter's type, tier, data type,
/// the ARN that modified it), so rows kept in memory (the parameter head cache) don't each hold a copy. Bounded: past
/// <see cref="MaxEntries"/> distinct values it stops pooling and hands values back as they are.
/// </summary>
public static class StringPool
{
    public const int MaxEntries = 4096;

    private static readonly ConcurrentDictionary<string, string> Pool = new(StringComparer.Ordinal);

    public static string Shared(string value)
    {
        if (Pool.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return Pool.Count < MaxEntries ? Pool.GetOrAdd(value, value) : value;
    }
}
