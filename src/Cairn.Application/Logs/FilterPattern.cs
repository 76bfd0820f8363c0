using Cairn.Core.Errors;
using Cairn.Storage.BuildLogs;

namespace Cairn.Application.Logs;

/// <summary>
/// CloudWatch Logs' term filter patterns, case-sensitive: every term must occur (<c>ERROR Exception</c>), a quoted
/// term is one phrase (<c>"Phase complete"</c>), <c>?a ?b</c> matches either, <c>-term</c> excludes. JSON and
/// space-delimited patterns are not supported. Parsed here, matched by the log store (<see cref="BuildLogSearch"/>).
/// </summary>
internal sealed class FilterPattern
{
    private readonly List<string> _all = [];
    private readonly List<string> _any = [];
    private readonly List<string> _none = [];

    private FilterPattern()
    {
    }

    public static FilterPattern Parse(string? pattern)
    {
        var parsed = new FilterPattern();
        var text = pattern?.Trim() ?? string.Empty;
        if (text.StartsWith('{') || text.StartsWith('['))
        {
            throw AwsErrors.InvalidLogsParameter("Cairn supports term filter patterns (words, \"phrases\", ?either, -excluded), not JSON or space-delimited patterns.");
        }

        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var list = parsed._all;
            if (text[i] is '?' or '-')
            {
                list = text[i] == '?' ? parsed._any : parsed._none;
                i++;
            }

            string term;
            if (i < text.Length && text[i] == '"')
            {
                var end = text.IndexOf('"', i + 1);
                if (end < 0)
                {
                    throw AwsErrors.InvalidLogsParameter("Invalid filter pattern: a quoted term is not closed.");
                }

                term = text[(i + 1)..end];
                i = end + 1;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                term = text[start..i];
            }

            if (term.Length > 0)
            {
                list.Add(term);
            }
        }

        return parsed;
    }

    /// <summary>The log store's search for these terms over [<paramref name="since"/>, <paramref name="until"/>).</summary>
    public BuildLogSearch ToSearch(DateTimeOffset? since, DateTimeOffset? until) => new(_all, _any, _none) { Since = since, Until = until };
}
