using System.Globalization;

namespace Cairn.Runner.Builds;

/// <summary>
/// What a build's commands start from on a host, and the variables that point AWS clients in the build at Cairn as the
/// build's identity: one definition for builds the server runs and for `cairn build`.
/// </summary>
public static class BuildHostEnvironment
{
    /// <summary>Variables that would make AWS clients in the build use other credentials than the build's own.</summary>
    public static IReadOnlyList<string> ShadowingVariables { get; } =
    [
        "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
    ];

    /// <summary>
    /// This process's environment for a build's commands. A server's build (<paramref name="serverBuild"/>) gets none of
    /// Cairn's settings (CAIRN_*) and none of the server's AWS variables: it has its role's. `cairn build` keeps the
    /// caller's environment but for <see cref="ShadowingVariables"/>. A sandboxed build gets its own <paramref name="home"/>.
    /// </summary>
    public static Dictionary<string, string> Capture(bool serverBuild, string? home = null)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (serverBuild ? name.StartsWith("CAIRN_", StringComparison.Ordinal) || name.StartsWith("AWS_", StringComparison.Ordinal) : ShadowingVariables.Contains(name))
            {
                continue;
            }

            environment[name] = (string?)entry.Value ?? string.Empty;
        }

        if (home is not null)
        {
            environment["HOME"] = home;
            environment.Remove("XDG_RUNTIME_DIR");
            environment.Remove("XDG_CONFIG_HOME");
            environment.Remove("XDG_CACHE_HOME");
        }

        return environment;
    }

    /// <summary>
    /// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (for temporary credentials), AWS_CREDENTIAL_EXPIRATION
    /// (when known) and AWS_ENDPOINT_URL (when Cairn's address is known), so that `aws ...` and the SDKs in the build reach
    /// Cairn as the build's identity.
    /// </summary>
    public static Dictionary<string, string> AwsVariables(
        string accessKeyId, string secretAccessKey, string? sessionToken, DateTimeOffset? expiration, string? endpoint)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_ACCESS_KEY_ID"] = accessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = secretAccessKey,
        };
        if (sessionToken is not null)
        {
            variables["AWS_SESSION_TOKEN"] = sessionToken;
        }

        if (expiration is { } expires)
        {
            variables["AWS_CREDENTIAL_EXPIRATION"] = expires.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }

        if (endpoint is not null)
        {
            variables["AWS_ENDPOINT_URL"] = endpoint;
        }

        return variables;
    }

    /// <summary>Puts <paramref name="tools"/> (the aws CLI shim's directory) first on PATH.</summary>
    public static void PrependPath(IDictionary<string, string> environment, string tools)
    {
        ArgumentNullException.ThrowIfNull(environment);
        environment["PATH"] = environment.TryGetValue("PATH", out var path) && path.Length > 0 ? $"{tools}:{path}" : $"{tools}:/usr/local/bin:/usr/bin:/bin";
    }
}
