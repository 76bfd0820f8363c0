namespace Cairn.Core.Parameters.Naming;

/// <summary>
/// An account's naming rule for parameter names under <paramref name="PathPrefix"/> (<c>/</c>: every name): a
/// <see cref="NamingPattern"/> text, and whether a new name that breaks it is rejected or accepted with an audit note.
/// </summary>
/// <param name="Example">For a regular expression: a name that fits, shown in the rejection (a template makes its own).</param>
public sealed record NamingRule(
    string AccountId,
    string PathPrefix,
    string Pattern,
    NamingMode Mode,
    string? Example,
    DateTimeOffset Updated,
    string UpdatedBy)
{
    /// <summary>The prefix's rules: starts and ends with /, letters, numbers and . - _ between.</summary>
    public static bool IsValidPathPrefix(string prefix) =>
        prefix.Length is > 0 and <= 1011
        && prefix[0] == '/'
        && prefix[^1] == '/'
        && !prefix.Contains("//", StringComparison.Ordinal)
        && prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_');

    /// <summary>Whether a parameter key (its name without the leading slash) is under this rule's prefix.</summary>
    public bool Covers(string key) => ("/" + key).StartsWith(PathPrefix, StringComparison.Ordinal);

    /// <summary>The part of <paramref name="key"/> the pattern is matched against: what follows the prefix.</summary>
    public string SubjectOf(string key) => ("/" + key)[PathPrefix.Length..];

    /// <summary>The rule that governs <paramref name="key"/>: the one with the longest prefix covering it, or null.</summary>
    public static NamingRule? For(IEnumerable<NamingRule> rules, string key) =>
        rules.Where(r => r.Covers(key)).MaxBy(r => r.PathPrefix.Length);
}

/// <summary>What a naming rule does with a new name that breaks it.</summary>
public enum NamingMode
{
    /// <summary>PutParameter answers ValidationException.</summary>
    Enforce,

    /// <summary>PutParameter succeeds; the audit log records a note (action cairn:NamingRuleWarning).</summary>
    Warn,
}

public static class NamingModes
{
    public static string Text(this NamingMode mode) => mode == NamingMode.Enforce ? "enforce" : "warn";

    public static NamingMode? Parse(string text) => text.ToLowerInvariant() switch
    {
        "enforce" => NamingMode.Enforce,
        "warn" => NamingMode.Warn,
        _ => null,
    };
}
