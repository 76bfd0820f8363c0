namespace Cairn.Core.Identity.Policies;

/// <summary>
/// The request's condition keys (<c>aws:username</c>, <c>aws:SourceIp</c>, <c>aws:PrincipalTag/team</c>, ...):
/// names compared case-insensitively, each with one value or, for multivalued keys such as <c>aws:TagKeys</c>, several.
/// </summary>
public sealed class ConditionContext
{
    private readonly Dictionary<string, string[]> _values = new(StringComparer.OrdinalIgnoreCase);

    public static ConditionContext Empty => new();

    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>Sets a single-valued key; a null value removes the key.</summary>
    public ConditionContext Set(string key, string? value)
    {
        if (value is null)
        {
            _values.Remove(key);
        }
        else
        {
            _values[key] = [value];
        }

        return this;
    }

    /// <summary>Sets a multivalued key (for ForAnyValue / ForAllValues).</summary>
    public ConditionContext SetMany(string key, IEnumerable<string> values)
    {
        _values[key] = values.ToArray();
        return this;
    }

    public bool TryGet(string key, out IReadOnlyList<string> values)
    {
        if (_values.TryGetValue(key, out var found))
        {
            values = found;
            return true;
        }

        values = [];
        return false;
    }

    /// <summary>The value of a key that has exactly one; policy variables can only use those.</summary>
    public bool TryGetSingle(string key, out string value)
    {
        if (_values.TryGetValue(key, out var found) && found.Length == 1)
        {
            value = found[0];
            return true;
        }

        value = string.Empty;
        return false;
    }

    public ConditionContext Clone()
    {
        var copy = new ConditionContext();
        foreach (var (key, values) in _values)
        {
            copy._values[key] = values;
        }

        return copy;
    }
}
