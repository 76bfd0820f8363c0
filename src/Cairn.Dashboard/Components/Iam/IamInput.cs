using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Core.Errors;

namespace Cairn.Dashboard.Components.Iam;

/// <summary>What the IAM pages share: IAM's checks of names (its codes and texts), paging by name, documents pretty-printed.</summary>
internal static partial class IamInput
{
    public const int PageSize = 50;

    /// <summary>IAM's pattern for user, role, group and policy names (ASCII <c>\w</c>).</summary>
    public const string NamePattern = @"[\w+=,.@-]+";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A name as IAM's model takes it for <paramref name="member"/> (userName, roleName, ...), else IAM's ValidationError.</summary>
    public static string Name(string? value, string member, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw AwsErrors.QueryValidationNull(member);
        }

        if (value.Length > maxLength)
        {
            throw AwsErrors.QueryValidation(value, member, $"Member must have length less than or equal to {maxLength}");
        }

        return NameRegex().IsMatch(value)
            ? value
            : throw AwsErrors.QueryValidation(value, member, $"Member must satisfy regular expression pattern: {NamePattern}");
    }

    /// <summary>
    /// One page of <paramref name="items"/> ordered by <paramref name="key"/> (ignoring case, as IAM names are unique),
    /// those after <paramref name="after"/>, and the key the next page starts after (null on the last page).
    /// </summary>
    public static (IReadOnlyList<T> Page, string? Next) PageAfter<T>(IEnumerable<T> items, Func<T, string> key, Func<T, string> next, string? after)
    {
        var ordered = items
            .Select(item => (Item: item, Key: SortKey(key(item))))
            .Where(e => after is null || string.CompareOrdinal(e.Key, SortKey(after)) > 0)
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => e.Item)
            .Take(PageSize + 1)
            .ToList();
        return ordered.Count > PageSize ? (ordered[..PageSize], next(ordered[PageSize - 1])) : (ordered, null);
    }

    private static string SortKey(string key) => key.ToUpperInvariant();

    /// <summary>A policy document indented for reading; as stored when it is not JSON (it always is, once accepted).</summary>
    public static string Pretty(string document)
    {
        try
        {
            return JsonNode.Parse(document)?.ToJsonString(Indented) ?? document;
        }
        catch (JsonException)
        {
            return document;
        }
    }

    /// <summary>Runs one section's read: its value, or the error to show in that section alone.</summary>
    public static async Task<(T? Value, AwsException? Problem)> SectionAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return (await read(), null);
        }
        catch (AwsException error)
        {
            return (default, error);
        }
    }

    /// <summary>
    /// The user or role the simulator evaluates for a denied principal: a user's or role's ARN as is, a role session's
    /// (<c>arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION</c>) its role's; null for anything else (the root user).
    /// </summary>
    public static string? SimulationPrincipal(string? principalArn)
    {
        var (kind, name) = Cairn.Runner.Builds.PermissionFix.Target(principalArn);
        if (kind is null || principalArn is null)
        {
            return null;
        }

        return principalArn.StartsWith("arn:aws:iam::", StringComparison.Ordinal)
            ? principalArn
            : $"arn:aws:iam::{principalArn.Split(':')[4]}:{kind}/{name}";
    }

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NameRegex();
}
