using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Core.Buildspec;

/// <summary>
/// A CloudFormation-style dynamic reference inside an env.variables value (a Cairn extension; AWS CodeBuild passes
/// it through literally). <see cref="Start"/> and <see cref="Length"/> locate it in the value.
/// </summary>
public sealed partial record DynamicReference(
    DynamicReferenceKind Kind,
    string Name,
    long? Version,
    string Text,
    int Start,
    int Length)
{
    /// <summary>True when the resolved value must be masked in logs.</summary>
    public bool IsSecret => Kind != DynamicReferenceKind.Ssm;

    /// <summary>The SSM GetParameter name, with <c>:version</c> when one was given.</summary>
    public string Selector => Version is { } version ? $"{Name}:{version.ToString(CultureInfo.InvariantCulture)}" : Name;

    /// <summary>Every well-formed reference in <paramref name="value"/>, in order.</summary>
    public static IReadOnlyList<DynamicReference> FindAll(string value)
    {
        if (!value.Contains("{{resolve:", StringComparison.Ordinal))
        {
            return [];
        }

        var found = new List<DynamicReference>();
        foreach (Match match in Candidate().Matches(value))
        {
            if (TryParse(match.Value, match.Index) is { } reference)
            {
                found.Add(reference);
            }
        }

        return found;
    }

    /// <summary>Every <c>{{resolve:...}}</c> in <paramref name="value"/> that is not a well-formed reference, as written.</summary>
    public static IReadOnlyList<string> FindMalformed(string value)
    {
        if (!value.Contains("{{resolve:", StringComparison.Ordinal))
        {
            return [];
        }

        var malformed = new List<string>();
        var index = 0;
        while ((index = value.IndexOf("{{resolve:", index, StringComparison.Ordinal)) >= 0)
        {
            var end = value.IndexOf("}}", index, StringComparison.Ordinal);
            var text = end < 0 ? value[index..] : value[index..(end + 2)];
            if (end < 0 || TryParse(text, index) is null)
            {
                malformed.Add(text);
            }

            index += text.Length;
        }

        return malformed;
    }

    /// <summary>The value with each reference replaced by what <paramref name="resolve"/> returns for it.</summary>
    public static string Substitute(string value, IReadOnlyList<DynamicReference> references, Func<DynamicReference, string> resolve)
    {
        if (references.Count == 0)
        {
            return value;
        }

        var result = new StringBuilder(value.Length);
        var position = 0;
        foreach (var reference in references.OrderBy(r => r.Start))
        {
            result.Append(value, position, reference.Start - position);
            result.Append(resolve(reference));
            position = reference.Start + reference.Length;
        }

        result.Append(value, position, value.Length - position);
        return result.ToString();
    }

    private static DynamicReference? TryParse(string text, int start)
    {
        var match = Candidate().Match(text);
        if (!match.Success || match.Length != text.Length)
        {
            return null;
        }

        var service = match.Groups["service"].Value;
        var body = match.Groups["body"].Value;
        if (service == "secretsmanager")
        {
            return body.Length == 0 ? null : new DynamicReference(DynamicReferenceKind.SecretsManager, body, null, text, start, text.Length);
        }

        var kind = service == "ssm" ? DynamicReferenceKind.Ssm : DynamicReferenceKind.SsmSecure;
        var ssm = SsmBody().Match(body);
        if (!ssm.Success)
        {
            return null;
        }

        long? version = ssm.Groups["version"].Success
            ? long.Parse(ssm.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture)
            : null;
        return new DynamicReference(kind, ssm.Groups["name"].Value, version, text, start, text.Length);
    }

    [GeneratedRegex(@"\{\{resolve:(?<service>ssm|ssm-secure|secretsmanager):(?<body>[^{}]*)\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Candidate();

    // SSM names: letters, digits, _ . - and / separators; the version is a positive number.
    [GeneratedRegex(@"^(?<name>[A-Za-z0-9_./-]{1,2048})(:(?<version>[1-9][0-9]{0,17}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SsmBody();
}
