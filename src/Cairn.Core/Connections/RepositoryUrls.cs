namespace Cairn.Core.Connections;

/// <summary>
/// Where a connection's repository is: a provider's public site (GitHub, GitLab, Bitbucket) + the repository id, or a
/// host's ProviderEndpoint + "/" + the repository id. A host endpoint may be a file:// URL or an absolute directory (a
/// directory of bare repositories; Cairn's extension for local use).
/// </summary>
public static class RepositoryUrls
{
    public static readonly IReadOnlyList<string> ProviderTypes =
        ["Bitbucket", "GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged", "AzureDevOps"];

    /// <summary>The git URL of <paramref name="fullRepositoryId"/> (owner/name) through the connection, or null when the provider has no public site (a host is needed).</summary>
    public static string? Resolve(ConnectionRecord connection, HostRecord? host, string fullRepositoryId)
    {
        var repository = fullRepositoryId.Trim('/');
        if (host is not null)
        {
            var endpoint = host.ProviderEndpoint.TrimEnd('/');
            return endpoint.StartsWith('/') ? $"file://{endpoint}/{repository}" : $"{endpoint}/{repository}";
        }

        return connection.ProviderType switch
        {
            "GitHub" => $"https://github.com/{repository}.git",
            "GitLab" => $"https://gitlab.com/{repository}.git",
            "Bitbucket" => $"https://bitbucket.org/{repository}.git",
            _ => null,
        };
    }

    /// <summary>Whether a provider type lives on a host of its own (CreateConnection then needs a HostArn).</summary>
    public static bool NeedsHost(string providerType) => providerType is "GitHubEnterpriseServer" or "GitLabSelfManaged";

    /// <summary>A URL with any user:password@ taken out, for logs and messages.</summary>
    public static string Redact(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        var at = url.IndexOf('@', scheme + 3);
        var slash = url.IndexOf('/', scheme + 3);
        return at > 0 && (slash < 0 || at < slash) ? url[..(scheme + 3)] + "***@" + url[(at + 1)..] : url;
    }
}
