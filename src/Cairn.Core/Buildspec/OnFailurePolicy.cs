using System.Text.RegularExpressions;

namespace Cairn.Core.Buildspec;

/// <summary>A phase's <c>on-failure</c>: ABORT, CONTINUE, RETRY, RETRY-&lt;count&gt;, RETRY-&lt;regex&gt; or RETRY-&lt;count&gt;-&lt;regex&gt;.</summary>
public sealed record OnFailurePolicy(OnFailureAction Action, int? RetryCount, string? RetryPattern, SourceLocation Location)
{
    /// <summary>Retries when RETRY names no count (verify against AWS: documented as 3).</summary>
    public const int DefaultRetryCount = 3;

    public int EffectiveRetryCount => Action == OnFailureAction.Retry ? RetryCount ?? DefaultRetryCount : 0;

    /// <summary>The retry condition; null means every failure is retried.</summary>
    public Regex? RetryRegex => RetryPattern is null ? null : new Regex(RetryPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Parses the on-failure text; null when it is none of the accepted forms or the regex does not compile.</summary>
    public static OnFailurePolicy? TryParse(string text, SourceLocation location)
    {
        var value = text.Trim();
        if (value.Equals("ABORT", StringComparison.OrdinalIgnoreCase))
        {
            return new OnFailurePolicy(OnFailureAction.Abort, null, null, location);
        }

        if (value.Equals("CONTINUE", StringComparison.OrdinalIgnoreCase))
        {
            return new OnFailurePolicy(OnFailureAction.Continue, null, null, location);
        }

        if (value.Equals("RETRY", StringComparison.OrdinalIgnoreCase))
        {
            return new OnFailurePolicy(OnFailureAction.Retry, null, null, location);
        }

        if (!value.StartsWith("RETRY-", StringComparison.OrdinalIgnoreCase) || value.Length == "RETRY-".Length)
        {
            return null;
        }

        var rest = value["RETRY-".Length..];
        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        var head = dash < 0 ? rest : rest[..dash];
        int? count = null;
        string? pattern = rest;
        if (head.Length > 0 && head.All(char.IsAsciiDigit))
        {
            if (!int.TryParse(head, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                return null;
            }

            count = parsed;
            pattern = dash < 0 ? null : rest[(dash + 1)..];
            if (pattern is { Length: 0 })
            {
                return null;
            }
        }

        if (pattern is not null && !IsValidRegex(pattern))
        {
            return null;
        }

        return new OnFailurePolicy(OnFailureAction.Retry, count, pattern, location);
    }

    private static bool IsValidRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
