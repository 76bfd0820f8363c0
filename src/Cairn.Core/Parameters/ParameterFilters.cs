using Cairn.Core.Errors;

namespace Cairn.Core.Parameters;

/// <summary>
/// ParameterFilters semantics: which keys and options each operation accepts (DescribeParameters: all but Label;
/// GetParametersByPath: Type, KeyId, Label), and whether a parameter matches. Filters are ANDed, values ORed.
/// </summary>
public static class ParameterFilters
{
    private static readonly string[] TypeValues = [ParameterTypes.String, ParameterTypes.StringList, ParameterTypes.SecureString];
    private static readonly string[] TierValues = [ParameterTiers.Standard, ParameterTiers.Advanced, ParameterTiers.IntelligentTiering];

    public static void ValidateForDescribe(IReadOnlyList<ParameterStringFilter> filters) => Validate(filters, byPath: false);

    public static void ValidateForPath(IReadOnlyList<ParameterStringFilter> filters) => Validate(filters, byPath: true);

    private static void Validate(IReadOnlyList<ParameterStringFilter> filters, bool byPath)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var filter in filters)
        {
            var key = filter.Key;
            var option = filter.EffectiveOption;
            if (byPath && key is not ("Type" or "KeyId" or "Label"))
            {
                throw AwsErrors.InvalidFilterKey($"The following filter key is not valid: {key}. Valid filter keys include: [Type, KeyId, Label].");
            }

            if (!byPath && key == "Label")
            {
                throw AwsErrors.InvalidFilterKey("The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].");
            }

            if (filter.Values.Count == 0 && !filter.IsTag)
            {
                throw AwsErrors.InvalidFilterValue($"The following filter values are missing : null for filter key {key}.");
            }

            if (!seen.Add(key))
            {
                throw AwsErrors.InvalidFilterKey(
                    $"The following filter is duplicated in the request: {key}. A request can contain only one occurrence of a specific filter.");
            }

            switch (key)
            {
                case "Path":
                    ValidatePathFilter(option, filter.Values);
                    continue;
                case "Type":
                    RequireKnownValues(filter.Values, TypeValues);
                    break;
                case "Tier":
                    RequireKnownValues(filter.Values, TierValues);
                    break;
                case "Label":
                    if (option != ParameterStringFilter.OptionEquals)
                    {
                        throw AwsErrors.InvalidFilterOption($"The following filter option is not valid: {option}. Valid options include: [Equals].");
                    }

                    continue;
            }

            var allowsContains = key == "Name";
            if (option is not (ParameterStringFilter.OptionEquals or ParameterStringFilter.OptionBeginsWith)
                && !(allowsContains && option == ParameterStringFilter.OptionContains))
            {
                // AWS's text lists [BeginsWith, Equals] for every key; Name also takes Contains, which Cairn adds.
                throw AwsErrors.InvalidFilterOption(allowsContains
                    ? $"The following filter option is not valid: {option}. Valid options include: [BeginsWith, Equals]. The Name filter also takes Contains."
                    : $"The following filter option is not valid: {option}. Valid options include: [BeginsWith, Equals].");
            }
        }
    }

    private static void ValidatePathFilter(string option, IReadOnlyList<string> values)
    {
        if (option is not (ParameterStringFilter.OptionRecursive or ParameterStringFilter.OptionOneLevel))
        {
            throw AwsErrors.InvalidFilterOption($"The following filter option is not valid: {option}. Valid options include: [Recursive, OneLevel].");
        }

        foreach (var value in values)
        {
            if (value.StartsWith("/aws", StringComparison.OrdinalIgnoreCase) || value.StartsWith("/ssm", StringComparison.OrdinalIgnoreCase))
            {
                throw AwsErrors.ReservedPathFilter();
            }

            _ = ParameterPath.Parse(value);
        }
    }

    private static void RequireKnownValues(IReadOnlyList<string> values, string[] known)
    {
        foreach (var value in values)
        {
            if (!known.Contains(value, StringComparer.Ordinal))
            {
                throw AwsErrors.InvalidFilterOption($"The following filter value is not valid: {value}. Valid values include: [{string.Join(", ", known)}].");
            }
        }
    }

    /// <summary>True when <paramref name="parameter"/> passes every filter (Label is matched separately by the caller).</summary>
    public static bool Matches(IReadOnlyList<ParameterStringFilter> filters, ParameterListing parameter)
    {
        foreach (var filter in filters)
        {
            if (!Matches(filter, parameter))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Matches(ParameterStringFilter filter, ParameterListing listing)
    {
        var version = listing.Parameter.Version;
        var option = filter.EffectiveOption;
        if (filter.IsTag)
        {
            return listing.Tags.TryGetValue(filter.TagKey, out var tagValue)
                && (filter.Values.Count == 0 || Compare(option, tagValue, filter.Values));
        }

        switch (filter.Key)
        {
            case "Name":
                var name = "/" + listing.Parameter.Key;
                return option == ParameterStringFilter.OptionContains
                    ? filter.Values.Any(v => name.Contains(v, StringComparison.Ordinal))
                    : Compare(option, name, filter.Values.Select(v => "/" + v.TrimStart('/')).ToList());
            case "Path":
                var recursive = option == ParameterStringFilter.OptionRecursive;
                return filter.Values.Any(v => ParameterPath.Parse(v).Contains(listing.Parameter.Key, recursive));
            case "Type":
                return Compare(option, version.Type, filter.Values);
            case "KeyId":
                return version.KeyId is { } keyId && Compare(option, keyId, filter.Values);
            case "Tier":
                return Compare(option, version.Tier, filter.Values);
            case "DataType":
                return Compare(option, version.DataType, filter.Values);
            case "Label":
                return listing.Labels.Keys.Any(l => filter.Values.Contains(l, StringComparer.Ordinal));
            default:
                return false;
        }
    }

    private static bool Compare(string option, string actual, IReadOnlyList<string> values) => option == ParameterStringFilter.OptionBeginsWith
        ? values.Any(v => actual.StartsWith(v, StringComparison.Ordinal))
        : values.Any(v => actual == v);
}
