namespace Cairn.Core.Parameters;

/// <summary>
/// A span of parameter keys a listing has to read: every key starting with <paramref name="Prefix"/>, or, when
/// <paramref name="Exact"/>, the one key equal to it. Storage reads a span as an index range
/// (<c>key &gt;= Prefix AND key &lt; Prefix + successor</c>), so a filtered page costs rows in proportion to the page,
/// not to the store. <see cref="For"/> turns ParameterFilters into the spans that can hold a match.
/// </summary>
public sealed record ParameterKeyRange(string Prefix, bool Exact)
{
    /// <summary>Every key.</summary>
    public static readonly ParameterKeyRange All = new(string.Empty, Exact: false);

    /// <summary>
    /// The disjoint spans, in key order, outside which no key under <paramref name="keyPrefix"/> can match
    /// <paramref name="filters"/>: a Path filter (Recursive or OneLevel) and a Name filter with Equals or BeginsWith
    /// narrow (their values ORed, the filters ANDed); the others (Contains, Type, tags...) are checked row by row by the
    /// caller, as are these (a span is a superset: OneLevel still reads the deeper keys under its path). Empty when
    /// nothing can match.
    /// </summary>
    public static IReadOnlyList<ParameterKeyRange> For(string keyPrefix, IReadOnlyList<ParameterStringFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(keyPrefix);
        ArgumentNullException.ThrowIfNull(filters);
        IReadOnlyList<ParameterKeyRange> spans = [new ParameterKeyRange(keyPrefix, Exact: false)];
        foreach (var filter in filters)
        {
            var option = filter.EffectiveOption;
            IReadOnlyList<ParameterKeyRange>? of = filter.Key switch
            {
                "Path" => filter.Values.Select(v => new ParameterKeyRange(ParameterPath.Parse(v).KeyPrefix, Exact: false)).ToList(),
                // The Name filter compares "/" + key with "/" + value.TrimStart('/') (ParameterFilters.Matches).
                "Name" when option == ParameterStringFilter.OptionBeginsWith =>
                    filter.Values.Select(v => new ParameterKeyRange(v.TrimStart('/'), Exact: false)).ToList(),
                "Name" when option == ParameterStringFilter.OptionEquals =>
                    filter.Values.Select(v => new ParameterKeyRange(v.TrimStart('/'), Exact: true)).ToList(),
                _ => null,
            };
            if (of is not null)
            {
                spans = spans.SelectMany(a => of.Select(b => Intersect(a, b))).OfType<ParameterKeyRange>().ToList();
            }
        }

        return Normalize(spans);
    }

    /// <summary>True when every key of this span is at or before <paramref name="key"/> (a page resuming after it has nothing left here).</summary>
    public bool EndsAtOrBefore(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Exact
            ? string.CompareOrdinal(Prefix, key) <= 0
            : string.CompareOrdinal(Prefix, key) < 0 && !key.StartsWith(Prefix, StringComparison.Ordinal);
    }

    private static ParameterKeyRange? Intersect(ParameterKeyRange a, ParameterKeyRange b) => (a.Exact, b.Exact) switch
    {
        (true, true) => a.Prefix == b.Prefix ? a : null,
        (true, false) => a.Prefix.StartsWith(b.Prefix, StringComparison.Ordinal) ? a : null,
        (false, true) => b.Prefix.StartsWith(a.Prefix, StringComparison.Ordinal) ? b : null,
        _ => b.Prefix.StartsWith(a.Prefix, StringComparison.Ordinal) ? b
            : a.Prefix.StartsWith(b.Prefix, StringComparison.Ordinal) ? a
            : null,
    };

    // Sorted by prefix (a prefix span before the exact key it covers), then without spans inside an earlier one: what
    // is left is disjoint, and since no prefix of two left is a prefix of the other, the spans' keys come in this order.
    private static List<ParameterKeyRange> Normalize(IReadOnlyList<ParameterKeyRange> spans)
    {
        var sorted = spans.Distinct()
            .OrderBy(s => s.Prefix, StringComparer.Ordinal)
            .ThenBy(s => s.Exact)
            .ToList();
        var kept = new List<ParameterKeyRange>(sorted.Count);
        foreach (var span in sorted)
        {
            if (kept.Count > 0 && kept[^1] is { Exact: false } last && span.Prefix.StartsWith(last.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            kept.Add(span);
        }

        return kept;
    }
}
