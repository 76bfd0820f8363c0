using System.Text.RegularExpressions;
using Cairn.Application.Identity;
using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Iam;

/// <summary>
/// The IAM model's member constraints for the operations not yet in <see cref="IamShapes"/>, checked by
/// <see cref="QueryValidator"/> (the one Query validator) member by member, as each IAM operation reads its parameters;
/// and the rules the model cannot say (tag keys unique ignoring case).
/// </summary>
internal static class IamValidation
{
    public const string NamePattern = @"[\w+=,.@-]+";
    public const string PathPattern = @"(\u002F)|(\u002F[\u0021-\u007E]+\u002F)";
    public const string PathPrefixPattern = @"\u002F[\u0021-\u007F]*";
    public const string DescriptionPattern = @"[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*";
    public const string PolicyDocumentPattern = @"[\u0009\u000A\u000D\u0020-\u00FF]+";
    public const string TagKeyPattern = @"[\p{L}\p{Z}\p{N}_.:/=+\-@]+";
    public const string TagValuePattern = @"[\p{L}\p{Z}\p{N}_.:/=+\-@]*";

    /// <summary>Members whose every value must match a pattern of the IAM model, by the request parameter's name.</summary>
    private static readonly Dictionary<string, (string Pattern, Regex Regex)> MemberPatterns = new(StringComparer.Ordinal)
    {
        ["UserName"] = (NamePattern, IamShapes.NameRegex()),
        ["NewUserName"] = (NamePattern, IamShapes.NameRegex()),
        ["RoleName"] = (NamePattern, IamShapes.NameRegex()),
        ["GroupName"] = (NamePattern, IamShapes.NameRegex()),
        ["NewGroupName"] = (NamePattern, IamShapes.NameRegex()),
        ["PolicyName"] = (NamePattern, IamShapes.NameRegex()),
        ["InstanceProfileName"] = (NamePattern, IamShapes.NameRegex()),
        ["Path"] = (PathPattern, IamShapes.PathCharactersRegex()),
        ["NewPath"] = (PathPattern, IamShapes.PathCharactersRegex()),
        ["PathPrefix"] = (PathPrefixPattern, IamShapes.PathCharactersRegex()),
        ["Description"] = (DescriptionPattern, IamShapes.DescriptionRegex()),
        ["PolicyDocument"] = (PolicyDocumentPattern, IamShapes.PolicyDocumentRegex()),
        ["AssumeRolePolicyDocument"] = (PolicyDocumentPattern, IamShapes.PolicyDocumentRegex()),
    };

    /// <summary>
    /// Checks every present member against its model pattern before the operation runs, as AWS validates input before
    /// anything else: names are ASCII (<c>\w</c> in AWS's patterns is <c>[A-Za-z0-9_]</c>), free text has no control characters.
    /// </summary>
    public static void Patterns(IReadOnlyDictionary<string, string> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            if (value.Length == 0)
            {
                continue; // lengths are each operation's own check
            }

            if (MemberPatterns.TryGetValue(name, out var rule))
            {
                Pattern(value, QueryArgs.MemberName(name), rule.Pattern, rule.Regex);
            }
            else if (TagMember(name) is { } tag)
            {
                Pattern(value, tag.Member, tag.IsKey ? TagKeyPattern : TagValuePattern, tag.IsKey ? IamShapes.TagKeyRegex() : IamShapes.TagValueRegex());
            }
        }
    }

    /// <summary><c>Tags.member.N.Key</c> / <c>.Value</c> and <c>TagKeys.member.N</c>, named as AWS names them (<c>tags.N.member.key</c>).</summary>
    private static (string Member, bool IsKey)? TagMember(string name)
    {
        var parts = name.Split('.');
        return parts switch
        {
            ["Tags", "member", var n, "Key"] => ($"tags.{n}.member.key", true),
            ["Tags", "member", var n, "Value"] => ($"tags.{n}.member.value", false),
            ["TagKeys", "member", var n] => ($"tagKeys.{n}.member", true),
            _ => null,
        };
    }

    public static void Pattern(string value, string member, string pattern, Regex regex) =>
        QueryValidator.Check(value, new StringShape(Pattern: pattern, Matcher: regex), member);

    public static string Name(string value, string member, int max) => Check(value, member, 1, max, NamePattern, IamShapes.NameRegex());

    public static string Path(string? value, string member = "path") =>
        value is null ? "/" : Check(value, member, 1, 512, PathPattern, IamShapes.PathRegex());

    public static void Length(string? value, string member, int min, int max)
    {
        if (value is not null)
        {
            QueryValidator.Check(value, new StringShape(min, max), member);
        }
    }

    public static void Range(int? value, string member, int min, int max)
    {
        if (value is { } number)
        {
            QueryValidator.Check(number.ToString(System.Globalization.CultureInfo.InvariantCulture), new NumberShape(min, max), member);
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
            Check(tags[i].Key, $"{member}.{i + 1}.member.key", 1, 128, TagKeyPattern, IamShapes.TagKeyRegex());
            Length(tags[i].Value, $"{member}.{i + 1}.member.value", 0, 256);
            Pattern(tags[i].Value, $"{member}.{i + 1}.member.value", TagValuePattern, IamShapes.TagValueRegex());
        }

        return IamTags.EnsureUniqueKeys(tags);
    }

    private static string Check(string value, string member, int min, int max, string pattern, Regex regex)
    {
        Length(value, member, min, max);
        Pattern(value, member, pattern, regex);
        return value;
    }
}
