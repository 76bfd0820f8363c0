using System.Text.RegularExpressions;
using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;

namespace Cairn.Server.Services.Iam;

/// <summary>The IAM model's member constraints, failing with the Query protocol's ValidationError texts.</summary>
internal static partial class IamValidation
{
    public const string NamePattern = @"[\w+=,.@-]+";
    public const string PathPattern = @"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)";

    public static string Name(string value, string member, int max) => Check(value, member, 1, max, NamePattern, NameRegex());

    public static string Path(string? value, string member = "path") =>
        value is null ? "/" : Check(value, member, 1, 512, PathPattern, PathRegex());

    public static void Length(string? value, string member, int min, int max)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length < min)
        {
            throw Constraint(value, member, $"Member must have length greater than or equal to {min}");
        }

        if (value.Length > max)
        {
            throw Constraint(value, member, $"Member must have length less than or equal to {max}");
        }
    }

    public static void Range(int? value, string member, int min, int max)
    {
        if (value is { } v && v < min)
        {
            throw Constraint(v.ToString(System.Globalization.CultureInfo.InvariantCulture), member, $"Member must have value greater than or equal to {min}");
        }

        if (value is { } w && w > max)
        {
            throw Constraint(w.ToString(System.Globalization.CultureInfo.InvariantCulture), member, $"Member must have value less than or equal to {max}");
        }
    }

    /// <summary>At most 50 tags, keys 1-128 and values 0-256 characters, no key twice (ignoring case).</summary>
    public static IReadOnlyList<IamTag> Tags(IReadOnlyList<IamTag> tags, string member = "tags")
    {
        if (tags.Count > 50)
        {
            throw AwsErrors.QueryValidation("[...]", member, "Member must have length less than or equal to 50");
        }

        for (var i = 0; i < tags.Count; i++)
        {
            Check(tags[i].Key, $"{member}.{i + 1}.member.key", 1, 128, @"[\p{L}\p{Z}\p{N}_.:/=+\-@]+", TagKeyRegex());
            Length(tags[i].Value, $"{member}.{i + 1}.member.value", 0, 256);
        }

        if (tags.Select(t => t.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count() != tags.Count)
        {
            throw AwsErrors.DuplicateTagKeys();
        }

        return tags;
    }

    private static string Check(string value, string member, int min, int max, string pattern, Regex regex)
    {
        Length(value, member, min, max);
        if (!regex.IsMatch(value))
        {
            throw Constraint(value, member, $"Member must satisfy regular expression pattern: {pattern}");
        }

        return value;
    }

    private static AwsException Constraint(string value, string member, string constraint) => AwsErrors.QueryValidation(value, member, constraint);

    [GeneratedRegex(@"^[\w+=,.@-]+$")]
    private static partial Regex NameRegex();

    [GeneratedRegex(@"^((/)|(/[\u0021-\u007E]+/))$")]
    private static partial Regex PathRegex();

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$")]
    private static partial Regex TagKeyRegex();
}
