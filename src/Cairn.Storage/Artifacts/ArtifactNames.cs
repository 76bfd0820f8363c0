using System.Text.RegularExpressions;

namespace Cairn.Storage.Artifacts;

/// <summary>
/// The store and key names every <see cref="IArtifactStore"/> accepts and the keys it chooses, so that every backend
/// refuses the same names: a store is an S3 bucket's name (no separator, nothing relative) and a key is a path below its
/// store (segments of safe characters, none empty, "." or "..").
/// </summary>
public static partial class ArtifactNames
{
    /// <summary>A new archive's key: the checked prefix, a new guid and ".tar.gz" (each put is a new archive).</summary>
    public static string NewKey(string keyPrefix) => CheckPrefix(keyPrefix) + Guid.NewGuid().ToString("N") + ".tar.gz";

    /// <summary>
    /// Where an execution's artifacts go: "&lt;pipeline&gt;/&lt;execution id&gt;", then each archive's own segments. Execution ids
    /// are unique in the whole server, so the execution's prefix names its archives alone, whatever account or store.
    /// </summary>
    public static string ExecutionKeyPrefix(string pipelineName, string executionId) => $"{pipelineName}/{executionId}";

    /// <summary>Checks a location's store and key; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static void Check(ArtifactLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        CheckStore(location.Store);
        CheckKey(location.Key, "key");
    }

    /// <summary>An S3 bucket's rules, which every store name a pipeline can declare follows: no separator, nothing relative.</summary>
    public static void CheckStore(string store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!StoreName().IsMatch(store) || store.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{store}' is not a valid artifact store name: use 3 to 63 letters, digits, '.', '-' and '_', starting with a letter or digit.", nameof(store));
        }
    }

    /// <summary>A prefix to store under, as the key's leading segments ending in '/' (empty for none).</summary>
    public static string CheckPrefix(string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        var trimmed = keyPrefix.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        CheckKey(trimmed, "key prefix");
        return trimmed + "/";
    }

    /// <summary>A prefix to delete by: matched as text, so its last segment may be partial; empty matches every key.</summary>
    public static void CheckDeletePrefix(string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        if (keyPrefix.Length > 0)
        {
            CheckKey(keyPrefix.TrimEnd('/'), "key prefix");
        }
    }

    /// <summary>Segments of safe characters, none empty, "." or "..": a key is always a path below its store.</summary>
    private static void CheckKey(string key, string what)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > 1024 || key.Split('/').Any(segment => !KeySegment().IsMatch(segment) || segment is "." or ".."))
        {
            throw new ArgumentException($"'{key}' is not a valid artifact {what}: use '/'-separated segments of letters, digits and . _ - = + @ , (no empty, '.' or '..' segment).", nameof(key));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{2,62}$")]
    private static partial Regex StoreName();

    [GeneratedRegex("^[A-Za-z0-9._=+@,-]{1,255}$")]
    private static partial Regex KeySegment();
}
