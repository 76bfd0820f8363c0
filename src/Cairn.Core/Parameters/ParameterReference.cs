using Cairn.Core.Errors;

namespace Cairn.Core.Parameters;

/// <summary>
/// What a read names: a parameter (by name or ARN) and optionally one version (<c>name:3</c>) or label
/// (<c>name:prod</c>). <see cref="Name"/> is the caller's spelling without the selector, which responses echo.
/// </summary>
public sealed record ParameterReference(string Name, string Key, long? Version = null, string? Label = null, string? ArnRegion = null, string? ArnAccount = null)
{
    private const string ArnResourcePrefix = "parameter/";

    /// <summary><c>:3</c> or <c>:prod</c>, as GetParameter's Selector reports it; null without one.</summary>
    public string? Selector => Version is { } version ? $":{version}" : Label is { } label ? $":{label}" : null;

    /// <summary>What was asked: the name with its selector (<c>/app/db:3</c>, <c>/app/db:prod</c>).</summary>
    public string Asked => Name + (Selector ?? string.Empty);

    /// <summary>
    /// The name a response reports for <paramref name="parameter"/>: the caller's spelling of a name, or for an ARN the
    /// parameter's own name, as AWS answers (<c>arn:aws:ssm:us-east-1:123456789012:parameter/test</c> reads <c>/test</c>).
    /// </summary>
    public string ResponseName(ParameterSnapshot parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return ArnRegion is null ? Name : parameter.Name;
    }

    /// <summary>An ARN naming another account or region than the request's: nothing there is visible.</summary>
    public bool IsOutside(ParameterScope scope) =>
        (ArnRegion is not null && ArnRegion != scope.Region) || (ArnAccount is not null && ArnAccount != scope.AccountId);

    /// <summary>
    /// Parses <c>name</c>, <c>name:version</c>, <c>name:label</c> or the ARN forms of these; ValidationException when
    /// malformed, ParameterNotFound for a second selector (<c>name:2:3</c>), which no parameter can match.
    /// </summary>
    public static ParameterReference Parse(string raw)
    {
        var text = raw.Trim(' ');
        if (text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return ParseArn(text);
        }

        var (name, version, label) = SplitSelector(text, text);
        var parsed = ParameterName.ParseForRead(name);
        return new ParameterReference(parsed.Name, parsed.Key, version, label);
    }

    private static ParameterReference ParseArn(string arn)
    {
        // arn:partition:ssm:region:account:parameter/key[:selector]
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[2] != "ssm" || !parts[5].StartsWith(ArnResourcePrefix, StringComparison.Ordinal))
        {
            throw AwsErrors.InvalidParameterName();
        }

        var (key, version, label) = SplitSelector(parts[5][ArnResourcePrefix.Length..], arn);
        if (key.StartsWith('/') || !ParameterName.IsWellFormed("/" + key))
        {
            throw AwsErrors.InvalidParameterName();
        }

        var name = string.Join(':', parts[..5]) + ":" + ArnResourcePrefix + key;
        return new ParameterReference(name, key, version, label, parts[3], parts[4]);
    }

    private static (string Name, long? Version, string? Label) SplitSelector(string text, string asked)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (text, null, null);
        }

        var selector = text[(colon + 1)..];
        if (selector.Length == 0)
        {
            throw AwsErrors.InvalidParameterName();
        }

        // name:2:3 names no parameter (a name cannot hold a colon): AWS answers ParameterNotFound, not ValidationException.
        if (selector.Contains(':', StringComparison.Ordinal))
        {
            throw AwsErrors.ParameterNotFound(asked);
        }

        if (selector.All(char.IsAsciiDigit))
        {
            return long.TryParse(selector, out var version) ? (text[..colon], version, null) : throw AwsErrors.InvalidParameterName();
        }

        return (text[..colon], null, selector);
    }
}
