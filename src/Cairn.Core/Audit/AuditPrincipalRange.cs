namespace Cairn.Core.Audit;

/// <summary>
/// A principal filter that is the beginning of an ARN (<c>arn:aws:iam::123456789012:user/ci</c>, a role's sessions
/// <c>arn:aws:sts::123456789012:assumed-role/deploy/</c>) matches ARNs that begin with it, so a store can read it as a range
/// of an index on the principal: every ARN with the prefix sorts at or after the prefix and before its
/// <see cref="UpperBound"/>.
/// </summary>
public static class AuditPrincipalRange
{
    /// <summary>Whether the filter is matched from the ARN's beginning (it starts with <c>arn:</c>), not anywhere in it.</summary>
    public static bool IsArnStart(string principalFilter)
    {
        ArgumentNullException.ThrowIfNull(principalFilter);
        return principalFilter.StartsWith("arn:", StringComparison.Ordinal);
    }

    /// <summary>
    /// The least string greater than every string that begins with <paramref name="prefix"/> (its last character that can
    /// be incremented, incremented), or null when there is none. ARNs are ASCII, where code-unit, code-point and UTF-8
    /// byte order agree; a store still checks the prefix itself on the rows the range finds.
    /// </summary>
    public static string? UpperBound(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        for (var i = prefix.Length - 1; i >= 0; i--)
        {
            if (prefix[i] < '\u007f')
            {
                return string.Concat(prefix.AsSpan(0, i), ((char)(prefix[i] + 1)).ToString());
            }
        }

        return null;
    }
}
