using Cairn.Core.Errors;

namespace Cairn.Core.Parameters;

/// <summary>
/// LabelParameterVersion / UnlabelParameterVersion rules. A label names one version of a parameter: attaching it
/// to another version moves it. Malformed labels are reported back, not refused.
/// </summary>
public static class ParameterLabeling
{
    public sealed record LabelPlan(IReadOnlyList<string> Attach, IReadOnlyList<string> Invalid);

    public sealed record UnlabelPlan(IReadOnlyList<string> Remove, IReadOnlyList<string> Invalid);

    /// <param name="current">Every label of the parameter and the version it names.</param>
    public static LabelPlan PlanLabel(long version, IReadOnlyList<string> requested, IReadOnlyDictionary<string, long> current)
    {
        var attach = requested.Where(ParameterLabels.IsValid).Distinct(StringComparer.Ordinal).ToList();
        var invalid = requested.Where(l => !ParameterLabels.IsValid(l)).Distinct(StringComparer.Ordinal).ToList();
        var onVersion = current.Where(l => l.Value == version).Select(l => l.Key).ToHashSet(StringComparer.Ordinal);
        onVersion.UnionWith(attach);
        if (onVersion.Count > ParameterLabels.MaxPerVersion)
        {
            throw AwsErrors.ParameterVersionLabelLimitExceeded();
        }

        return new LabelPlan(attach, invalid);
    }

    /// <summary>Labels not on <paramref name="version"/> (or malformed) come back as invalid.</summary>
    public static UnlabelPlan PlanUnlabel(long version, IReadOnlyList<string> requested, IReadOnlyDictionary<string, long> current)
    {
        var distinct = requested.Distinct(StringComparer.Ordinal).ToList();
        var remove = distinct.Where(l => current.TryGetValue(l, out var v) && v == version).ToList();
        return new UnlabelPlan(remove, distinct.Except(remove, StringComparer.Ordinal).ToList());
    }
}
