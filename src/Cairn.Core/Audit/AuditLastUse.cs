namespace Cairn.Core.Audit;

/// <summary>
/// One row of an audit log's last-use table: the latest allowed use of a resource by an action, per account (the
/// principal's, from its ARN). <see cref="Of"/> folds a batch of entries into the rows it changes, so a batch of a
/// thousand reads of one parameter is one upsert.
/// </summary>
public readonly record struct AuditLastUse(string Account, string Action, string Resource, DateTimeOffset Time)
{
    public static IEnumerable<AuditLastUse> Of(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var latest = new Dictionary<(string Account, string Action, string Resource), DateTimeOffset>();
        foreach (var entry in entries)
        {
            if (entry.Resource is not { } resource
                || !string.Equals(entry.Decision, "Allow", StringComparison.OrdinalIgnoreCase)
                || AccountOf(entry.PrincipalArn) is not { } account)
            {
                continue;
            }

            var key = (account, entry.Action, resource);
            if (!latest.TryGetValue(key, out var seen) || entry.Time > seen)
            {
                latest[key] = entry.Time;
            }
        }

        return latest.Select(pair => new AuditLastUse(pair.Key.Account, pair.Key.Action, pair.Key.Resource, pair.Value));
    }

    /// <summary>The account of an IAM or STS principal ARN (arn:aws:iam::123456789012:..., arn:aws:sts::...); null otherwise.</summary>
    public static string? AccountOf(string principalArn)
    {
        ArgumentNullException.ThrowIfNull(principalArn);
        const int Prefix = 13; // "arn:aws:iam::".Length
        return principalArn.Length > Prefix + 12
            && (principalArn.StartsWith("arn:aws:iam::", StringComparison.Ordinal) || principalArn.StartsWith("arn:aws:sts::", StringComparison.Ordinal))
            && principalArn[Prefix + 12] == ':'
            ? principalArn.Substring(Prefix, 12)
            : null;
    }
}
