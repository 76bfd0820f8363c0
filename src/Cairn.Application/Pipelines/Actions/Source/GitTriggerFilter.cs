using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Cairn.Application.Pipelines.Actions.Source;

/// <summary>
/// A V2 pipeline's push triggers for one source action (triggers[].gitConfiguration with that sourceActionName): which
/// refs it watches and whether a change to one starts the pipeline. Within a push filter, tags and branches name the ref
/// and filePaths the changed files; includes and excludes are globs (<c>*</c> within a path segment, <c>**</c> across
/// segments, <c>?</c> one character), an exclude wins over an include, and no includes means everything. The pipeline
/// starts when any push filter matches.
/// </summary>
public sealed class GitTriggerFilter
{
    private readonly IReadOnlyList<PushFilter> _filters;

    private GitTriggerFilter(IReadOnlyList<PushFilter> filters) => _filters = filters;

    /// <summary>The action's push filters, or null when the pipeline has no trigger for it (default change detection on its branch).</summary>
    public static GitTriggerFilter? For(JsonObject declaration, string actionName, string branchName)
    {
        var triggers = (declaration["triggers"] as JsonArray)?.OfType<JsonObject>()
            .Where(t => t["gitConfiguration"]?["sourceActionName"]?.GetValue<string>() == actionName)
            .ToList();
        if (triggers is null || triggers.Count == 0)
        {
            return null;
        }

        var filters = triggers
            .SelectMany(t => (t["gitConfiguration"]!["push"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Select(p => new PushFilter(Globs(p["tags"]), Globs(p["branches"]), Globs(p["filePaths"]), branchName))
            .ToList();
        return new GitTriggerFilter(filters);
    }

    /// <summary>Whether a change to <paramref name="gitRef"/> (refs/heads/x or refs/tags/x) could start the pipeline, before looking at files.</summary>
    public bool Watches(string gitRef) => _filters.Any(f => f.MatchesRef(gitRef));

    /// <summary>Whether some push filter that matches the ref needs the changed files.</summary>
    public bool NeedsFiles(string gitRef) => _filters.Any(f => f.MatchesRef(gitRef) && f.FilePaths is not null);

    /// <summary>Whether a change of <paramref name="gitRef"/> touching <paramref name="files"/> (null: unknown) starts the pipeline.</summary>
    public bool Starts(string gitRef, IReadOnlyList<string>? files) =>
        _filters.Any(f => f.MatchesRef(gitRef) && (f.FilePaths is null || (files is not null && files.Any(f.FilePaths.Matches))));

    private static GlobSet? Globs(JsonNode? node) =>
        node is JsonObject set
            ? new GlobSet(Patterns(set["includes"]), Patterns(set["excludes"]))
            : null;

    private static IReadOnlyList<Regex> Patterns(JsonNode? node) =>
        (node as JsonArray)?.Select(p => Glob(p!.GetValue<string>())).ToList() ?? [];

    /// <summary>A glob as a regular expression over the whole text.</summary>
    public static Regex Glob(string pattern)
    {
        var regex = new StringBuilder(@"\A");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    i++;
                    regex.Append("(?:.*/)?");
                }
                else
                {
                    regex.Append(".*");
                }
            }
            else
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        return new Regex(regex.Append(@"\z").ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    private sealed record GlobSet(IReadOnlyList<Regex> Includes, IReadOnlyList<Regex> Excludes)
    {
        public bool Matches(string text) => (Includes.Count == 0 || Includes.Any(r => r.IsMatch(text))) && !Excludes.Any(r => r.IsMatch(text));
    }

    /// <summary>A push filter; one with neither tags nor branches (file paths only) watches the action's own branch.</summary>
    private sealed record PushFilter(GlobSet? Tags, GlobSet? Branches, GlobSet? FilePaths, string DefaultBranch)
    {
        public bool MatchesRef(string gitRef)
        {
            if (gitRef.StartsWith("refs/tags/", StringComparison.Ordinal))
            {
                return Tags is not null && Tags.Matches(gitRef["refs/tags/".Length..]);
            }

            if (!gitRef.StartsWith("refs/heads/", StringComparison.Ordinal))
            {
                return false;
            }

            var branch = gitRef["refs/heads/".Length..];
            return Branches?.Matches(branch) ?? (Tags is null && branch == DefaultBranch);
        }
    }
}
