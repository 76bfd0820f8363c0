using System.Globalization;
using Cairn.Runner.Processes;
using Cairn.Runner.Sandbox;

namespace Cairn.Application.Builds.Execution;

/// <summary>
/// Makes each host build's sandbox: what it hides (the data directory with the keys, database and every build, the
/// builds root, the server's home when it is not root), which user the commands run as, and whether the sandbox can
/// start on this host at all (checked once).
/// </summary>
public sealed class HostSandboxes(BuildWorkspaces workspaces, CodeBuildOptions options)
{
    private readonly Lazy<Task<(BuildUser? User, string? Problem)>> _check = new(() => CheckAsync(options));

    public const string Fix = "install bubblewrap (apt-get install bubblewrap) so host builds run without access to the server's keys, "
        + "or use LINUX_CONTAINER builds; `cairn serve --host-build-isolation none` runs host builds unisolated (only for a single user's own machine).";

    /// <summary>Why host builds cannot be sandboxed on this host, or null when they can (see <see cref="Fix"/>).</summary>
    public async Task<string?> ProblemAsync() => (await _check.Value).Problem;

    /// <summary>What one build's sandbox shows it (its directories made); <see cref="ProblemAsync"/> must have said it can start.</summary>
    public async Task<SandboxSettings> CreateAsync(
        string buildDirectory, string sourceDirectory, string homeDirectory, string? dockerConfig, string? tools, string cacheDirectory, bool privileged)
    {
        var (user, _) = await _check.Value;

        Directory.CreateDirectory(homeDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(cacheDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var hidden = new List<string> { workspaces.DataDirectory, Path.GetDirectoryName(buildDirectory)! };
        if (user is null && Environment.GetEnvironmentVariable("HOME") is { Length: > 1 } home)
        {
            hidden.Add(home);
        }

        return new SandboxSettings
        {
            SourceDirectory = sourceDirectory,
            WritableDirectories = [homeDirectory, .. dockerConfig is null ? Array.Empty<string>() : [dockerConfig], cacheDirectory],
            ReadOnlyDirectories = tools is null ? [] : [tools],
            HiddenDirectories = hidden,
            User = user,
            DockerAccess = privileged,
        };
    }

    private static async Task<(BuildUser? User, string? Problem)> CheckAsync(CodeBuildOptions options)
    {
        BuildUser? user = null;
        if (Environment.IsPrivilegedProcess)
        {
            user = await ResolveUserAsync(options.BuildUser);
            if (user is null)
            {
                return (null, $"the build user '{options.BuildUser}' does not exist on this host (cairn serve --build-user NAME or UID:GID)");
            }
        }

        return (user, await HostSandbox.CheckAsync("bwrap", user, CancellationToken.None));
    }

    /// <summary>uid:gid as given, or a user name looked up with id(1).</summary>
    private static async Task<BuildUser?> ResolveUserAsync(string user)
    {
        var parts = user.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
        {
            return uid == 0 ? null : new BuildUser(uid, gid);
        }

        var id = await ToolProcess.RunAsync("id", ["-u", user]);
        var group = await ToolProcess.RunAsync("id", ["-g", user]);
        return id.Succeeded && group.Succeeded
            && int.TryParse(id.Output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var resolvedUid) && resolvedUid != 0
            && int.TryParse(group.Output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var resolvedGid)
            ? new BuildUser(resolvedUid, resolvedGid)
            : null;
    }
}
