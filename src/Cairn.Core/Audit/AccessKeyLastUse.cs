namespace Cairn.Core.Audit;

/// <summary>
/// The last request an access key authenticated (allowed, denied or failed after the signature checked out, as AWS
/// counts a use): when, the service it was sent to (the operation's signing name: <c>ssm</c>, <c>sts</c>) and the region.
/// <see cref="Of"/> folds a batch of audit entries into one row per key, so a batch of a thousand calls with one key is
/// one upsert. Temporary credentials (ASIA...) are not IAM access keys and have no row, as on AWS.
/// </summary>
public readonly record struct AccessKeyLastUse(string AccessKeyId, DateTimeOffset Time, string Service, string Region)
{
    public static IEnumerable<AccessKeyLastUse> Of(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var latest = new Dictionary<string, AuditEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (IsLongTermKey(entry.AccessKeyId) && (!latest.TryGetValue(entry.AccessKeyId!, out var seen) || entry.Time > seen.Time))
            {
                latest[entry.AccessKeyId!] = entry;
            }
        }

        return latest.Values.Select(e => new AccessKeyLastUse(e.AccessKeyId!, e.Time, ServiceOf(e.Operation), e.Region));
    }

    /// <summary>An IAM user's or the root user's key: not empty (an unsigned call) and not temporary credentials (ASIA...).</summary>
    public static bool IsLongTermKey(string? accessKeyId) =>
        !string.IsNullOrEmpty(accessKeyId) && !accessKeyId.StartsWith("ASIA", StringComparison.Ordinal);

    /// <summary>The service part of an operation (<c>ssm:GetParameter</c> gives <c>ssm</c>), as AccessKeyLastUsed's ServiceName.</summary>
    public static string ServiceOf(string operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var colon = operation.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? operation[..colon] : operation;
    }
}
