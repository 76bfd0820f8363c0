using System.Globalization;
using Cairn.Core.Errors;

namespace Cairn.Server.Aws.Validation;

/// <summary>
/// Checks a Query-protocol request (IAM, STS) against its shape before an operation runs: members by name, lists as
/// <c>Name.member.N</c>, structures in lists as <c>Name.member.N.Field</c>. The first failed constraint is the
/// Query protocol's ValidationError, worded as AWS words it ("1 validation error detected: Value 'x' at 'member' ...");
/// a value with control characters is left out of the message.
/// </summary>
internal static class QueryValidator
{
    public static void Validate(IReadOnlyDictionary<string, string> parameters, StructureShape shape) =>
        ValidateMembers(parameters, shape, string.Empty, string.Empty);

    private static void ValidateMembers(IReadOnlyDictionary<string, string> parameters, StructureShape shape, string prefix, string path)
    {
        foreach (var member in shape.Members)
        {
            var name = prefix + member.Name;
            var at = path + QueryArgs.MemberName(member.Name);
            switch (member.Shape)
            {
                case ListShape list:
                    ValidateList(parameters, list, name, at);
                    break;
                case StructureShape structure:
                    ValidateMembers(parameters, structure, name + ".", at + ".");
                    break;
                default:
                    if (parameters.TryGetValue(name, out var value))
                    {
                        ValidateValue(value, member.Shape, at);
                    }
                    else if (member.Required)
                    {
                        throw AwsErrors.QueryValidationNull(at);
                    }

                    break;
            }
        }
    }

    private static void ValidateList(IReadOnlyDictionary<string, string> parameters, ListShape list, string name, string path)
    {
        var count = 0;
        while (parameters.Keys.Any(key => IsElement(key, $"{name}.member.{count + 1}")))
        {
            count++;
        }

        if (list.Max is { } max && count > max)
        {
            // AWS shows a list of strings as Java prints it ("[a, b]"); Cairn shows a list of structures as "[...]".
            var shown = list.Member is StringShape
                ? "[" + string.Join(", ", Enumerable.Range(1, count).Select(i => parameters.GetValueOrDefault($"{name}.member.{i}") ?? "null")) + "]"
                : "[...]";
            throw AwsErrors.QueryValidation(shown, path, $"Member must have length less than or equal to {max}");
        }

        for (var i = 1; i <= count; i++)
        {
            if (list.Member is StructureShape structure)
            {
                ValidateMembers(parameters, structure, $"{name}.member.{i}.", $"{path}.{i}.member.");
            }
            else if (parameters.TryGetValue($"{name}.member.{i}", out var value))
            {
                ValidateValue(value, list.Member, $"{path}.{i}.member");
            }
        }
    }

    private static bool IsElement(string key, string element) =>
        string.Equals(key, element, StringComparison.Ordinal) || key.StartsWith(element + ".", StringComparison.Ordinal);

    /// <summary>Checks one value against a string or number shape (for checks an operation makes itself).</summary>
    public static void Check(string value, Shape shape, string path) => ValidateValue(value, shape, path);

    private static void ValidateValue(string value, Shape shape, string path)
    {
        switch (shape)
        {
            case StringShape s:
                if (s.Min is { } min && value.Length < min)
                {
                    throw Length(value, path, $"Member must have length greater than or equal to {min}", s.Sensitive);
                }

                if (s.Max is { } max && value.Length > max)
                {
                    throw Length(value, path, $"Member must have length less than or equal to {max}", s.Sensitive);
                }

                if (!s.Matches(value))
                {
                    throw Failed(value, path, $"Member must satisfy regular expression pattern: {s.Pattern}", s.Sensitive);
                }

                if (s.Enum is { } values && !values.Contains(value, StringComparer.Ordinal))
                {
                    throw Failed(value, path, $"Member must satisfy enum value set: [{string.Join(", ", values)}]");
                }

                break;
            case NumberShape n:
                if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || (!n.IsLong && number is < int.MinValue or > int.MaxValue))
                {
                    throw AwsErrors.QueryValidation(value, path, "Member must be a number");
                }

                if (n.Min is { } low && number < low)
                {
                    throw AwsErrors.QueryValidation(value, path, $"Member must have value greater than or equal to {low}");
                }

                if (n.Max is { } high && number > high)
                {
                    throw AwsErrors.QueryValidation(value, path, $"Member must have value less than or equal to {high}");
                }

                break;
        }
    }

    private static AwsException Length(string value, string path, string constraint, bool sensitive) =>
        sensitive ? AwsErrors.QueryValidationUnprintable(path, constraint) : AwsErrors.QueryValidation(value, path, constraint);

    /// <summary>A failure: sensitive values (passwords) and values with control characters are not echoed, as a terminal or log would show them raw.</summary>
    private static AwsException Failed(string value, string path, string constraint, bool sensitive = false) =>
        sensitive || value.Any(c => char.IsControl(c) || char.IsSurrogate(c))
            ? AwsErrors.QueryValidationUnprintable(path, constraint)
            : AwsErrors.QueryValidation(value, path, constraint);
}
