using Cairn.Core.Errors;

namespace Cairn.Core.Parameters;

/// <summary>
/// A hierarchy path (<c>/</c>, <c>/app</c>, <c>/app/prod/</c>) and which parameter keys lie under it: one level
/// down, or any depth when recursive. <c>/</c> holds the root-level parameters.
/// </summary>
public sealed record ParameterPath(string Path, string KeyPrefix)
{
    /// <summary>Throws AWS's path ValidationException for anything that is not a <c>/</c>-rooted hierarchy.</summary>
    public static ParameterPath Parse(string raw)
    {
        var path = raw.Trim(' ');
        if (path == "/")
        {
            return new ParameterPath(path, string.Empty);
        }

        var trimmed = path.TrimEnd('/');
        if (!path.StartsWith('/') || trimmed.Length == 0 || !ParameterName.IsWellFormed(trimmed))
        {
            throw AwsErrors.InvalidParameterPath();
        }

        if (trimmed.Count(c => c == '/') > ParameterName.MaxDepth)
        {
            throw AwsErrors.HierarchyLevelLimitExceeded();
        }

        return new ParameterPath(path, trimmed[1..] + "/");
    }

    /// <summary>The ARN GetParametersByPath is authorized on: the path's own.</summary>
    public string ArnIn(ParameterScope scope) => scope.ArnFor(KeyPrefix.TrimEnd('/'));

    public bool Contains(string key, bool recursive) =>
        key.StartsWith(KeyPrefix, StringComparison.Ordinal)
        && key.Length > KeyPrefix.Length
        && (recursive || !key.AsSpan(KeyPrefix.Length).Contains('/'));
}
