namespace Cairn.Core.Connections;

/// <summary>
/// The two services' ARNs: <c>arn:aws:&lt;service&gt;:&lt;region&gt;:&lt;account&gt;:connection/&lt;uuid&gt;</c> and
/// <c>...:host/&lt;name&gt;-&lt;id&gt;</c>, where service is <see cref="CodeStar"/> or <see cref="CodeConnections"/>.
/// </summary>
public static class ConnectionArns
{
    public const string CodeStar = "codestar-connections";
    public const string CodeConnections = "codeconnections";

    public static string Connection(string service, string region, string accountId, Guid id) =>
        $"arn:aws:{service}:{region}:{accountId}:connection/{id:D}";

    /// <summary>A host's ARN: its name (cut to fit) and a short random id, as AWS names hosts.</summary>
    public static string Host(string service, string region, string accountId, string name, Guid id)
    {
        var safe = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return $"arn:aws:{service}:{region}:{accountId}:host/{safe[..Math.Min(safe.Length, 32)]}-{id.ToString("N")[..8]}";
    }

    /// <summary>The parts of a connection or host ARN, or null when it is neither service's.</summary>
    public static ConnectionArn? Parse(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[0] != "arn" || parts[1] != "aws" || parts[2] is not (CodeStar or CodeConnections))
        {
            return null;
        }

        var slash = parts[5].IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == parts[5].Length - 1)
        {
            return null;
        }

        var kind = parts[5][..slash];
        return kind is "connection" or "host" ? new ConnectionArn(parts[2], parts[3], parts[4], kind, parts[5][(slash + 1)..]) : null;
    }

    /// <summary>The same resource's ARN under the other service name, so either API finds what the other made.</summary>
    public static string Other(string arn) =>
        Parse(arn) is { } parsed
            ? $"arn:aws:{(parsed.Service == CodeStar ? CodeConnections : CodeStar)}:{parsed.Region}:{parsed.AccountId}:{parsed.Kind}/{parsed.Id}"
            : arn;
}

/// <summary>A parsed connection or host ARN; <see cref="Kind"/> is "connection" or "host".</summary>
public sealed record ConnectionArn(string Service, string Region, string AccountId, string Kind, string Id);
