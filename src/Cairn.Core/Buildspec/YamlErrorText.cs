namespace Cairn.Core.Buildspec;

/// <summary>
/// Turns YamlDotNet's messages into the go-yaml wording CodeBuild shows (YAML_FILE_ERROR Message: ... at line N)
/// and picks a plain hint for each.
/// </summary>
internal static class YamlErrorText
{
    private const string TabHint = "YAML does not allow tabs for indentation; replace the tab with spaces.";

    public static (string Message, string Hint, bool IsTab) Translate(string raw, bool fromParser)
    {
        var text = raw.Trim().TrimEnd('.');
        if (fromParser && text.StartsWith("While ", StringComparison.Ordinal) && text.IndexOf(", ", StringComparison.Ordinal) is var comma and > 0)
        {
            text = text[(comma + 2)..];
        }

        text = text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : "invalid YAML";
        if (text.Contains("tab", StringComparison.OrdinalIgnoreCase) && text.Contains("indentation", StringComparison.OrdinalIgnoreCase))
        {
            return ("found character that cannot start any token", TabHint, true);
        }

        if (text is "found invalid mapping" || text.StartsWith("mapping values are not allowed", StringComparison.Ordinal))
        {
            return ("mapping values are not allowed in this context",
                "a ': ' inside an unquoted value starts a new key; put the whole value in quotes, e.g. - \"echo a: b\".", false);
        }

        if (text.StartsWith("found character that cannot start any token", StringComparison.Ordinal))
        {
            return ("found character that cannot start any token",
                "values that start with @, ` or % must be quoted; if this line is indented with a tab, use spaces.", false);
        }

        if (text.StartsWith("did not find expected ',' or", StringComparison.Ordinal))
        {
            return (text, "a [ or { is not closed; a value that starts with [ or { must be quoted.", false);
        }

        if (text.StartsWith("did not find expected key", StringComparison.Ordinal) || text.StartsWith("did not find expected '-'", StringComparison.Ordinal))
        {
            return (text, "this line's indentation does not line up with the keys or list items above it.", false);
        }

        if (text.Contains("end of stream", StringComparison.Ordinal) && raw.Contains("quoted scalar", StringComparison.OrdinalIgnoreCase))
        {
            return (text, "a quote is not closed.", false);
        }

        if (text.Contains("end of stream", StringComparison.Ordinal))
        {
            return ("found unexpected end of stream", "a quote or bracket is not closed.", false);
        }

        if (text.Contains("anchor", StringComparison.OrdinalIgnoreCase))
        {
            return (text, "define the anchor (&name) before using it (*name).", false);
        }

        return (text, "check the indentation here, and quote values that contain ': ' or ' #' or start with a special character.", false);
    }
}
