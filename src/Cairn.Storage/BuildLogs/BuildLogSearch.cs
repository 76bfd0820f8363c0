using System.Text;

namespace Cairn.Storage.BuildLogs;

/// <summary>
/// A search of one log: events from index <see cref="From"/> on, written in [<see cref="Since"/>, <see cref="Until"/>),
/// whose text holds every term of <see cref="AllOf"/>, one of <see cref="AnyOf"/> (when there are any) and none of
/// <see cref="NoneOf"/> (case-sensitive, ordinal), at most <see cref="Limit"/> of them (0 finds only where the next match is).
/// </summary>
public sealed class BuildLogSearch
{
    private readonly byte[][] _all;
    private readonly byte[][] _any;
    private readonly byte[][] _none;

    public BuildLogSearch(IReadOnlyList<string> allOf, IReadOnlyList<string> anyOf, IReadOnlyList<string> noneOf)
    {
        (AllOf, AnyOf, NoneOf) = (allOf, anyOf, noneOf);
        (_all, _any, _none) = (Utf8(allOf), Utf8(anyOf), Utf8(noneOf));
    }

    /// <summary>Every event matches.</summary>
    public static BuildLogSearch Everything { get; } = new([], [], []);

    public IReadOnlyList<string> AllOf { get; }

    public IReadOnlyList<string> AnyOf { get; }

    public IReadOnlyList<string> NoneOf { get; }

    public long From { get; init; }

    public DateTimeOffset? Since { get; init; }

    public DateTimeOffset? Until { get; init; }

    public int Limit { get; init; } = int.MaxValue;

    /// <summary>Matches a line's UTF-8 text: for valid UTF-8, a term occurs in the bytes exactly when it occurs in the decoded text.</summary>
    public bool Matches(ReadOnlySpan<byte> text)
    {
        foreach (var term in _all)
        {
            if (text.IndexOf(term) < 0)
            {
                return false;
            }
        }

        if (_any.Length > 0 && !ContainsAny(text, _any))
        {
            return false;
        }

        return !ContainsAny(text, _none);
    }

    /// <summary>A copy searching from another index with another limit.</summary>
    public BuildLogSearch With(long from, int limit) => new(AllOf, AnyOf, NoneOf) { From = from, Since = Since, Until = Until, Limit = limit };

    private static bool ContainsAny(ReadOnlySpan<byte> text, byte[][] terms)
    {
        foreach (var term in terms)
        {
            if (text.IndexOf(term) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static byte[][] Utf8(IReadOnlyList<string> terms) => [.. terms.Select(Encoding.UTF8.GetBytes)];
}
