using System.Globalization;

namespace Cairn.Core.Identity.Policies;

/// <summary>
/// One operator applied to one key with its values, e.g. <c>"StringLike": {"aws:username": ["a*", "b*"]}</c>,
/// with the values compiled for the operator's family at parse time.
/// </summary>
internal sealed class ConditionClause
{
    private readonly ConditionOperator _operator;
    private readonly SetQualifier _qualifier;
    private readonly bool _ifExists;
    private readonly PolicyTemplate[] _strings = [];
    private readonly TemplatePattern[] _likes = [];
    private readonly ArnPattern[] _arns = [];
    private readonly decimal?[] _numbers = [];
    private readonly DateTimeOffset?[] _dates = [];
    private readonly IpRange?[] _ranges = [];
    private readonly string[] _raw;
    private readonly PolicyTemplate[] _variableValues;

    public ConditionClause(string operatorText, ConditionOperator op, SetQualifier qualifier, bool ifExists, string key, IReadOnlyList<string> values, bool variablesEnabled)
    {
        OperatorText = operatorText;
        _operator = op;
        _qualifier = qualifier;
        _ifExists = ifExists;
        Key = key;
        _raw = values.ToArray();
        var usesVariables = op.Family is ConditionFamily.String or ConditionFamily.StringIgnoreCase or ConditionFamily.StringLike or ConditionFamily.Arn;
        _variableValues = usesVariables
            ? values.Select(v => PolicyTemplate.Parse(v, variablesEnabled)).Where(t => t.HasVariables).ToArray()
            : [];
        switch (op.Family)
        {
            case ConditionFamily.String or ConditionFamily.StringIgnoreCase:
                _strings = values.Select(v => PolicyTemplate.Parse(v, variablesEnabled)).ToArray();
                break;
            case ConditionFamily.StringLike:
                _likes = values.Select(v => new TemplatePattern(PolicyTemplate.Parse(v, variablesEnabled), ignoreCase: false)).ToArray();
                break;
            case ConditionFamily.Arn:
                _arns = values.Select(v => new ArnPattern(PolicyTemplate.Parse(v, variablesEnabled))).ToArray();
                break;
            case ConditionFamily.Numeric:
                _numbers = values.Select(v => ParseNumber(v)).ToArray();
                break;
            case ConditionFamily.Date:
                _dates = values.Select(v => PolicyDates.TryParse(v, out var d) ? d : (DateTimeOffset?)null).ToArray();
                break;
            case ConditionFamily.IpAddress:
                _ranges = values.Select(v => IpRange.TryParse(v, out var r) ? r : null).ToArray();
                break;
        }
    }

    /// <summary>The operator as written, e.g. <c>ForAnyValue:StringLikeIfExists</c>.</summary>
    public string OperatorText { get; }

    public string Key { get; }

    public IReadOnlyList<string> Values => _raw;

    public bool Evaluate(ConditionContext context)
    {
        var present = context.TryGet(Key, out var actual) && actual.Count > 0;
        if (_operator.Family == ConditionFamily.Null)
        {
            // "true" asks that the key be absent, "false" that it be present; several values OR together.
            foreach (var value in _raw)
            {
                if (bool.TryParse(value, out var wantAbsent) && wantAbsent != present)
                {
                    return true;
                }
            }

            return false;
        }

        // A policy variable without a value invalidates the clause, whatever the operator (AWS: the statement does not apply).
        foreach (var template in _variableValues)
        {
            if (template.ResolveString(context) is null)
            {
                return false;
            }
        }

        if (!present)
        {
            return _ifExists || _qualifier switch
            {
                SetQualifier.ForAllValues => true,
                SetQualifier.ForAnyValue => false,
                _ => _operator.Negated,
            };
        }

        switch (_qualifier)
        {
            case SetQualifier.ForAllValues:
                foreach (var value in actual)
                {
                    if (MatchesAny(value, context) == _operator.Negated)
                    {
                        return false;
                    }
                }

                return true;

            case SetQualifier.ForAnyValue:
                foreach (var value in actual)
                {
                    if (MatchesAny(value, context) != _operator.Negated)
                    {
                        return true;
                    }
                }

                return false;

            default:
                var any = false;
                foreach (var value in actual)
                {
                    if (MatchesAny(value, context))
                    {
                        any = true;
                        break;
                    }
                }

                return any != _operator.Negated;
        }
    }

    /// <summary>The positive form of the operator: does <paramref name="actual"/> match at least one policy value?</summary>
    private bool MatchesAny(string actual, ConditionContext context)
    {
        switch (_operator.Family)
        {
            case ConditionFamily.String:
            case ConditionFamily.StringIgnoreCase:
                var comparison = _operator.Family == ConditionFamily.String ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
                foreach (var template in _strings)
                {
                    var expected = template.ResolveString(context);
                    if (expected is not null && string.Equals(actual, expected, comparison))
                    {
                        return true;
                    }
                }

                return false;

            case ConditionFamily.StringLike:
                foreach (var pattern in _likes)
                {
                    if (pattern.IsMatch(actual, context))
                    {
                        return true;
                    }
                }

                return false;

            case ConditionFamily.Arn:
                foreach (var pattern in _arns)
                {
                    if (pattern.IsMatch(actual, context))
                    {
                        return true;
                    }
                }

                return false;

            case ConditionFamily.Numeric:
                var number = ParseNumber(actual);
                return number is { } n && _numbers.Any(expected => expected is { } e && Compare(n.CompareTo(e)));

            case ConditionFamily.Date:
                if (!PolicyDates.TryParse(actual, out var date))
                {
                    return false;
                }

                return _dates.Any(expected => expected is { } e && Compare(date.CompareTo(e)));

            case ConditionFamily.Bool:
                return _raw.Any(expected => string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase));

            case ConditionFamily.Binary:
                return _raw.Any(expected => BinaryEquals(expected, actual));

            case ConditionFamily.IpAddress:
                return _ranges.Any(range => range is not null && range.Contains(actual));

            default:
                return false;
        }
    }

    private bool Compare(int order) => _operator.Comparison switch
    {
        ConditionComparison.Equal => order == 0,
        ConditionComparison.LessThan => order < 0,
        ConditionComparison.LessThanEquals => order <= 0,
        ConditionComparison.GreaterThan => order > 0,
        _ => order >= 0,
    };

    private static decimal? ParseNumber(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool BinaryEquals(string expected, string actual)
    {
        if (string.Equals(expected, actual, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return Convert.FromBase64String(expected).AsSpan().SequenceEqual(Convert.FromBase64String(actual));
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
