using Cairn.Runner.Processes;

namespace Cairn.Runner.Sources;

/// <summary>Clones a git repository and checks out the source version, with CodeBuild's wording when that fails.</summary>
internal static class GitSource
{
    public static async Task<FetchedSource> CloneAsync(
        SourceRequest source, string url, string destination, Action<string> log, CancellationToken cancellationToken)
    {
        var version = source.Version;
        var versionText = version ?? "the default branch";
        // Never wait for a password prompt: a build has no terminal.
        var environment = new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0", ["GIT_ASKPASS"] = "/bin/true" };
        var config = source.InsecureSsl ? new[] { "-c", "http.sslVerify=false" } : [];
        var depth = source.CloneDepth is > 0 && !LooksLikeCommit(version) ? new[] { "--depth", source.CloneDepth.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-single-branch" } : [];

        log($"Cloning {url}{(version is null ? string.Empty : " at " + version)}");
        var clone = await ToolProcess.RunAsync("git", [.. config, "clone", "--quiet", .. depth, "--", url, destination], null, environment, cancellationToken);
        if (!clone.Succeeded)
        {
            LogOutput(log, clone.Output);
            throw new SourceFetchException(
                $"{Reason(clone.Output)} for primary source and source version {versionText}",
                $"check that '{url}' is a git repository the Cairn host can reach and read (git clone {url}).");
        }

        if (version is not null)
        {
            var checkout = await GitAsync(destination, environment, cancellationToken, "checkout", "--quiet", version);
            if (!checkout.Succeeded)
            {
                var fetch = await GitAsync(destination, environment, cancellationToken, "fetch", "--quiet", "origin", version);
                checkout = fetch.Succeeded ? await GitAsync(destination, environment, cancellationToken, "checkout", "--quiet", "FETCH_HEAD") : fetch;
            }

            if (!checkout.Succeeded)
            {
                LogOutput(log, checkout.Output);
                throw new SourceFetchException(
                    $"reference not found for primary source and source version {version}",
                    $"sourceVersion must be a branch, tag, commit or ref of {url}; list them with: git ls-remote {url}");
            }
        }

        var head = await GitAsync(destination, environment, cancellationToken, "rev-parse", "HEAD");
        var resolved = head.Succeeded ? head.Output.Trim() : null;
        log($"Source is at {resolved ?? "an unknown commit"}");
        return new FetchedSource(destination, resolved, url);
    }

    private static Task<ToolResult> GitAsync(string directory, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken, params string[] arguments) =>
        ToolProcess.RunAsync("git", ["-C", directory, .. arguments], null, environment, cancellationToken);

    /// <summary>CodeBuild's reasons: "repository not found", "authentication required", else git's own last line.</summary>
    private static string Reason(string output)
    {
        if (output.Contains("Authentication failed", StringComparison.OrdinalIgnoreCase)
            || output.Contains("could not read Username", StringComparison.OrdinalIgnoreCase)
            || output.Contains("Permission denied (publickey", StringComparison.Ordinal))
        {
            return "authentication required";
        }

        return output.Contains("not found", StringComparison.OrdinalIgnoreCase)
            || output.Contains("does not appear to be a git repository", StringComparison.OrdinalIgnoreCase)
            || output.Contains("does not exist", StringComparison.OrdinalIgnoreCase)
            ? "repository not found"
            : "git clone failed";
    }

    private static bool LooksLikeCommit(string? version) =>
        version is { Length: >= 7 and <= 40 } && version.All(Uri.IsHexDigit);

    private static void LogOutput(Action<string> log, string output)
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(5))
        {
            log(line);
        }
    }
}
