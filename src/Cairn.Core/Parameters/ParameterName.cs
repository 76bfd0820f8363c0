using Cairn.Core.Errors;

namespace Cairn.Core.Parameters;

/// <summary>
/// A valid parameter name. <see cref="Name"/> is the caller's spelling; <see cref="Key"/> is the name without its
/// leading slash, which is also the ARN's resource part: <c>foo</c> and <c>/foo</c> are one parameter.
/// </summary>
public sealed record ParameterName(string Name, string Key)
{
    public const int MaxDepth = 15;

    /// <summary>Counting the ARN prefix <c>arn:aws:ssm:region:account:parameter/</c>.</summary>
    public const int MaxArnLength = 1011;

    public bool IsHierarchical => Name.Contains('/', StringComparison.Ordinal);

    /// <summary>Hierarchy levels: <c>/a/b/c</c> has 3, a root-level name 1.</summary>
    public int Depth => IsHierarchical ? Name.Count(c => c == '/') : 1;

    /// <summary>Parses a name being read (reserved prefixes allowed: <c>/aws/service/...</c> are public parameters on AWS).</summary>
    public static ParameterName ParseForRead(string raw)
    {
        var name = raw.Trim(' ');
        if (!IsWellFormed(name))
        {
            throw AwsErrors.InvalidParameterName();
        }

        return new ParameterName(name, name.TrimStart('/'));
    }

    /// <summary>Parses a name being created or written: adds reserved prefixes, depth and length to the format rules.</summary>
    public static ParameterName ParseForWrite(string raw, ParameterScope scope)
    {
        var name = raw.Trim(' ');
        var bare = name.TrimStart('/');
        if (bare.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || bare.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            var isPath = name.Count(c => c == '/') > 1;
            if (isPath && name.StartsWith("/aws", StringComparison.OrdinalIgnoreCase))
            {
                throw AwsErrors.ReservedParameterName(name);
            }

            throw isPath ? AwsErrors.InvalidParameterName() : AwsErrors.ReservedParameterPrefix();
        }

        var parsed = ParseForRead(name);
        if (parsed.Depth > MaxDepth)
        {
            throw AwsErrors.HierarchyLevelLimitExceeded();
        }

        var maxKeyLength = MaxArnLength - scope.ArnPrefix.Length;
        if (parsed.Key.Length > maxKeyLength)
        {
            throw AwsErrors.ParameterNameTooLong(maxKeyLength);
        }

        return parsed;
    }

    /// <summary>
    /// <c>a-zA-Z0-9_.-</c> plus <c>/</c>; a name with a slash is a path: it starts with <c>/</c> and has no empty
    /// level (<c>x/b</c>, <c>/x//b</c> and <c>/x/</c> are not names).
    /// </summary>
    public static bool IsWellFormed(string name)
    {
        if (name.Length == 0)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsNameChar(c) && c != '/')
            {
                return false;
            }
        }

        if (!name.Contains('/', StringComparison.Ordinal))
        {
            return true;
        }

        return name[0] == '/' && name.Length > 1 && !name.Contains("//", StringComparison.Ordinal) && name[^1] != '/';
    }

    public static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
}
