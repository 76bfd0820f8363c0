using Cairn.Application.Builds.Logs;
using Cairn.Core.Errors;
using Cairn.Storage.BuildLogs;

namespace Cairn.Dashboard.Logs;

/// <summary>
/// A search of the whole log on the server (IBuildLogStore.SearchAsync, a page of matches at a time, so a 100 MB log is
/// scanned once and never held): how many lines match, and the indexes of the first <see cref="KeptMatches"/>.
/// </summary>
internal static class LogSearch
{
    public const int KeptMatches = 10_000;
    public const int MaxTermLength = 256;

    public sealed record Result(long Count, IReadOnlyList<long> Matches);

    /// <summary>The term as searched; InvalidInputException saying what is allowed for an empty, long or multi-line one.</summary>
    public static string Check(string? term)
    {
        if (string.IsNullOrEmpty(term))
        {
            throw AwsErrors.CodeBuildInvalidInput("Search text is empty. Give the text to find in the log (case-sensitive), e.g. ?q=error.");
        }

        if (term.Length > MaxTermLength || term.Contains('\n', StringComparison.Ordinal) || term.Contains('\r', StringComparison.Ordinal))
        {
            throw AwsErrors.CodeBuildInvalidInput($"Search text must be one line of at most {MaxTermLength} characters; this one has {term.Length} characters{(term.Contains('\n', StringComparison.Ordinal) ? " and a line break" : "")}.");
        }

        return term;
    }

    public static async Task<Result> RunAsync(BuildLog log, string term, int keep, CancellationToken cancellationToken)
    {
        var matches = new List<long>();
        long count = 0;
        var search = new BuildLogSearch([term], [], []) { Limit = 1000 };
        while (true)
        {
            var found = await log.SearchAsync(search, cancellationToken);
            count += found.Events.Count;
            foreach (var line in found.Events)
            {
                if (matches.Count < keep)
                {
                    matches.Add(line.Index);
                }
            }

            if (found.Next is not { } next)
            {
                return new Result(count, matches);
            }

            search = search.With(next, 1000);
        }
    }
}
