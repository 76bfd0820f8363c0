namespace Cairn.Core.Identity.Policies;

internal enum ConditionFamily
{
    String,
    StringIgnoreCase,
    StringLike,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

internal enum ConditionComparison
{
    Equal,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}

internal enum SetQualifier
{
    None,
    ForAnyValue,
    ForAllValues,
}

/// <summary>
/// A condition operator as IAM knows it: its family, the comparison, and whether it is a negated one
/// (StringNotEquals, NotIpAddress, ...), which are true when the key is missing and combine values with NOR.
/// </summary>
internal sealed record ConditionOperator(string Name, ConditionFamily Family, ConditionComparison Comparison, bool Negated)
{
    private static readonly Dictionary<string, ConditionOperator> Known = new ConditionOperator[]
    {
        new("StringEquals", ConditionFamily.String, ConditionComparison.Equal, false),
        new("StringNotEquals", ConditionFamily.String, ConditionComparison.Equal, true),
        new("StringEqualsIgnoreCase", ConditionFamily.StringIgnoreCase, ConditionComparison.Equal, false),
        new("StringNotEqualsIgnoreCase", ConditionFamily.StringIgnoreCase, ConditionComparison.Equal, true),
        new("StringLike", ConditionFamily.StringLike, ConditionComparison.Equal, false),
        new("StringNotLike", ConditionFamily.StringLike, ConditionComparison.Equal, true),
        new("NumericEquals", ConditionFamily.Numeric, ConditionComparison.Equal, false),
        new("NumericNotEquals", ConditionFamily.Numeric, ConditionComparison.Equal, true),
        new("NumericLessThan", ConditionFamily.Numeric, ConditionComparison.LessThan, false),
        new("NumericLessThanEquals", ConditionFamily.Numeric, ConditionComparison.LessThanEquals, false),
        new("NumericGreaterThan", ConditionFamily.Numeric, ConditionComparison.GreaterThan, false),
        new("NumericGreaterThanEquals", ConditionFamily.Numeric, ConditionComparison.GreaterThanEquals, false),
        new("DateEquals", ConditionFamily.Date, ConditionComparison.Equal, false),
        new("DateNotEquals", ConditionFamily.Date, ConditionComparison.Equal, true),
        new("DateLessThan", ConditionFamily.Date, ConditionComparison.LessThan, false),
        new("DateLessThanEquals", ConditionFamily.Date, ConditionComparison.LessThanEquals, false),
        new("DateGreaterThan", ConditionFamily.Date, ConditionComparison.GreaterThan, false),
        new("DateGreaterThanEquals", ConditionFamily.Date, ConditionComparison.GreaterThanEquals, false),
        new("Bool", ConditionFamily.Bool, ConditionComparison.Equal, false),
        new("BinaryEquals", ConditionFamily.Binary, ConditionComparison.Equal, false),
        new("IpAddress", ConditionFamily.IpAddress, ConditionComparison.Equal, false),
        new("NotIpAddress", ConditionFamily.IpAddress, ConditionComparison.Equal, true),
        new("ArnEquals", ConditionFamily.Arn, ConditionComparison.Equal, false),
        new("ArnLike", ConditionFamily.Arn, ConditionComparison.Equal, false),
        new("ArnNotEquals", ConditionFamily.Arn, ConditionComparison.Equal, true),
        new("ArnNotLike", ConditionFamily.Arn, ConditionComparison.Equal, true),
        new("Null", ConditionFamily.Null, ConditionComparison.Equal, false),
    }.ToDictionary(o => o.Name, StringComparer.Ordinal);

    /// <summary>Splits <c>ForAnyValue:StringLikeIfExists</c> into qualifier, operator and IfExists; false for unknown operators.</summary>
    public static bool TryParse(string text, out SetQualifier qualifier, out ConditionOperator? op, out bool ifExists)
    {
        qualifier = SetQualifier.None;
        ifExists = false;
        var name = text;
        if (name.StartsWith("ForAnyValue:", StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAnyValue;
            name = name["ForAnyValue:".Length..];
        }
        else if (name.StartsWith("ForAllValues:", StringComparison.Ordinal))
        {
            qualifier = SetQualifier.ForAllValues;
            name = name["ForAllValues:".Length..];
        }

        if (name.EndsWith("IfExists", StringComparison.Ordinal))
        {
            ifExists = true;
            name = name[..^"IfExists".Length];
        }

        if (!Known.TryGetValue(name, out op))
        {
            return false;
        }

        // Null already is the existence test; it takes neither IfExists nor a set qualifier.
        return op.Family != ConditionFamily.Null || (!ifExists && qualifier == SetQualifier.None);
    }
}
