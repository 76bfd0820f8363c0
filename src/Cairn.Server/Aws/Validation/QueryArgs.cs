using System.Globalization;
using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;

namespace Cairn.Server.Aws.Validation;

/// <summary>
/// A Query-protocol request's parameters: scalars by name, lists as <c>Name.member.N</c>, structures in lists as
/// <c>Name.member.N.Field</c>. Missing required members fail with the Query protocol's ValidationError.
/// </summary>
internal sealed class QueryArgs(IReadOnlyDictionary<string, string> values)
{
    /// <summary>Every parameter as it arrived, for <see cref="QueryValidator"/>.</summary>
    public IReadOnlyDictionary<string, string> Values => values;

    public string? Get(string name) => values.TryGetValue(name, out var value) ? value : null;

    public string Required(string name) =>
        Get(name) ?? throw AwsErrors.QueryValidationNull(MemberName(name));

    public int? Int(string name)
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw AwsErrors.QueryValidation(text, MemberName(name), "Member must be a number");
    }

    public bool? Bool(string name) => Get(name) is { } text ? string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) : null;

    /// <summary><c>Name.member.1</c>, <c>Name.member.2</c>, ... in order.</summary>
    public List<string> List(string name)
    {
        var result = new List<string>();
        for (var i = 1; values.TryGetValue($"{name}.member.{i}", out var value); i++)
        {
            result.Add(value);
        }

        return result;
    }

    /// <summary><c>Name.member.N.Field</c> structures, in order (stops at the first index with no field).</summary>
    public List<Dictionary<string, string>> Structures(string name)
    {
        var result = new List<Dictionary<string, string>>();
        for (var i = 1; ; i++)
        {
            var prefix = $"{name}.member.{i}.";
            var item = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in values)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    item[key[prefix.Length..]] = value;
                }
            }

            if (item.Count == 0)
            {
                return result;
            }

            result.Add(item);
        }
    }

    public List<IamTag> Tags(string name = "Tags") =>
        Structures(name).Select(t => new IamTag(t.GetValueOrDefault("Key") ?? string.Empty, t.GetValueOrDefault("Value") ?? string.Empty)).ToList();

    /// <summary>AWS names members in validation messages in lower camel case (<c>RoleName</c> -> <c>roleName</c>).</summary>
    public static string MemberName(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
