using System.Globalization;
using System.Text;
using Cairn.Runner.Processes;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Sandbox;

/// <summary>
/// Runs a host build's shell in a bubblewrap sandbox: the whole file system read-only, a private /tmp, /dev and /proc
/// (its own process namespace, so no /proc/&lt;server pid&gt;/environ), the server's data directory hidden behind an
/// empty one with only this build's directories bound back, and, when the server is root, as an unprivileged user
/// (so root-only files stay unreadable too). Like <see cref="Containers.ContainerShellFactory"/>, the shell program becomes
/// a small wrapper script; everything else (one shell for all commands, markers, masking) is the same session.
/// </summary>
public sealed class HostSandbox(SandboxSettings settings) : IShellHost
{
    private bool _owned;

    /// <summary>Why host builds cannot be sandboxed here (bwrap missing or refused), or null when they can.</summary>
    public static async Task<string?> CheckAsync(string bubblewrap, BuildUser? user, CancellationToken cancellationToken)
    {
        var program = ResolveOnPath(bubblewrap);
        if (!File.Exists(program))
        {
            return $"host builds run in a bubblewrap sandbox, and {bubblewrap} was not found on this host";
        }

        string[] isolation = ["--ro-bind", "/", "/", "--unshare-pid", "--proc", "/proc", "--dev", "/dev"];
        var probe = user is null
            ? await ToolProcess.RunAsync(program, [.. isolation, "--unshare-user", "--", "true"], cancellationToken: cancellationToken)
            : await ToolProcess.RunAsync(program, [.. isolation, "--", "setpriv", .. SetprivArguments(user, []), "--", "true"], cancellationToken: cancellationToken);
        return probe.Succeeded ? null : $"the bubblewrap sandbox for host builds does not start here: {probe.LastLine}";
    }

    /// <summary>A shell for the build's commands inside the sandbox: one session (buildspec 0.2) or one per command (0.1).</summary>
    public ICommandShell Create(ShellOptions options, bool sharesOneShell)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sandboxed = Adapt(options);
        return new HostShells().Create(sandboxed, sharesOneShell);
    }

    /// <summary>The host shell's options with the wrapper as the shell and the script directory made the build user's.</summary>
    public ShellOptions Adapt(ShellOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scriptDirectory = options.ScriptDirectory ?? throw new ArgumentException("A sandboxed shell needs the runner's script directory.", nameof(options));
        var binDirectory = Path.Combine(Path.GetDirectoryName(settings.SourceDirectory)!, "sandbox");
        Directory.CreateDirectory(binDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        GiveToBuildUser(scriptDirectory, options.WorkingDirectory);

        // Named like the shell so that ShellSession treats bash as bash and sh as sh.
        var shell = ShellLocator.Resolve(options.Shell);
        var wrapper = Path.Combine(binDirectory, Path.GetFileName(shell));
        File.WriteAllText(wrapper, WrapperScript(shell, binDirectory, scriptDirectory, options.WorkingDirectory));
        // Readable inside the sandbox too, where the syntax check (-n FILE) runs it again.
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(binDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return options with
        {
            Shell = wrapper,
            ScriptDirectory = scriptDirectory,
            ScriptOwner = settings.User is { } user ? (user.UserId, user.GroupId) : null,
        };
    }

    /// <summary>The bwrap arguments (without the program to run), in the order bwrap applies them.</summary>
    public IReadOnlyList<string> BubblewrapArguments(string binDirectory, string scriptDirectory, string workingDirectory)
    {
        // As root, bwrap mounts without a user namespace (it must reach the build's directories inside the owner-only data
        // directory) and setpriv drops to the build user inside; otherwise an unprivileged user namespace does the mounts.
        var arguments = new List<string>();
        if (settings.User is null)
        {
            arguments.Add("--unshare-user");
        }

        arguments.AddRange([
            "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--perms", "1777", "--tmpfs", "/tmp", "--perms", "1777", "--tmpfs", "/var/tmp",
        ]);
        foreach (var hidden in settings.HiddenDirectories.Where(Directory.Exists).Distinct(StringComparer.Ordinal))
        {
            arguments.AddRange(["--perms", "0755", "--tmpfs", hidden]);
        }

        var readOnly = settings.ReadOnlyDirectories.Append(binDirectory).Where(Directory.Exists).Distinct(StringComparer.Ordinal).ToList();
        var writable = Writable(scriptDirectory, workingDirectory).ToList();

        // The directories leading to each bound one, made traversable where bwrap creates them (in a hiding tmpfs it
        // would make them owner-only, and the build's user is not their owner).
        foreach (var ancestor in readOnly.Concat(writable).SelectMany(Ancestors).Distinct(StringComparer.Ordinal).OrderBy(a => a.Length))
        {
            arguments.AddRange(["--perms", "0755", "--dir", ancestor]);
        }

        foreach (var directory in readOnly)
        {
            arguments.AddRange(["--ro-bind", directory, directory]);
        }

        foreach (var directory in writable)
        {
            arguments.AddRange(["--bind", directory, directory]);
        }

        arguments.AddRange(["--chdir", workingDirectory]);
        return arguments;
    }

    private static IEnumerable<string> Ancestors(string path)
    {
        for (var parent = Path.GetDirectoryName(path); parent is { Length: > 1 }; parent = Path.GetDirectoryName(parent))
        {
            yield return parent;
        }
    }

    private IEnumerable<string> Writable(string scriptDirectory, string workingDirectory) =>
        new[] { settings.SourceDirectory, workingDirectory, scriptDirectory }.Concat(settings.WritableDirectories)
            .Where(Directory.Exists).Distinct(StringComparer.Ordinal);

    private string WrapperScript(string shell, string binDirectory, string scriptDirectory, string workingDirectory)
    {
        var command = new StringBuilder("exec ").Append(Quote(ResolveOnPath(settings.Bubblewrap)));
        foreach (var argument in BubblewrapArguments(binDirectory, scriptDirectory, workingDirectory))
        {
            command.Append(' ').Append(Quote(argument));
        }

        command.Append(" --");
        if (settings.User is { } user)
        {
            foreach (var argument in SetprivArguments(user, settings.DockerAccess ? DockerGroups() : []).Prepend("setpriv").Append("--"))
            {
                command.Append(' ').Append(Quote(argument));
            }
        }

        command.Append(' ').Append(Quote(shell)).Append(" \"$@\"");
        return "#!/bin/sh\n"
            + $"# Cairn: runs the build's shell ({shell}) in a bubblewrap sandbox without the server's files, processes or user.\n"
            + "# The runner's syntax check (-n FILE) runs inside the sandbox, where this file is mounted too.\n"
            + $"if [ \"$1\" = \"-n\" ]; then exec {Quote(shell)} \"$@\"; fi\n"
            + command + "\n";
    }

    /// <summary>The source (with any restored cache), the script directory and the other writable directories become the build user's.</summary>
    private void GiveToBuildUser(string scriptDirectory, string workingDirectory)
    {
        if (settings.User is not { } user)
        {
            return;
        }

        // The source is handed over once; the script directory is the runner's and may be new for each shell.
        var paths = Writable(scriptDirectory, workingDirectory).Where(d => !_owned || d != settings.SourceDirectory).ToList();
        _owned = true;
        var owner = user.UserId.ToString(CultureInfo.InvariantCulture) + ":" + user.GroupId.ToString(CultureInfo.InvariantCulture);
        // One chown for all of them: a process start is most of what handing over a small build costs.
        var result = ToolProcess.RunAsync("chown", ["-R", "--no-dereference", "--", owner, .. paths]).GetAwaiter().GetResult();
        if (!result.Succeeded)
        {
            throw new IOException($"could not give {string.Join(", ", paths)} to the build user {owner}: {result.LastLine}");
        }
    }

    private IReadOnlyList<int> DockerGroups()
    {
        try
        {
            return File.Exists(settings.DockerSocket) || Directory.Exists(Path.GetDirectoryName(settings.DockerSocket))
                ? [GroupOf(settings.DockerSocket)]
                : [];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static int GroupOf(string path)
    {
        var stat = ToolProcess.RunAsync("stat", ["-c", "%g", "--", path]).GetAwaiter().GetResult();
        return stat.Succeeded && int.TryParse(stat.Output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var gid) ? gid : throw new IOException(stat.LastLine);
    }

    private static IEnumerable<string> SetprivArguments(BuildUser user, IReadOnlyList<int> groups)
    {
        yield return "--reuid=" + user.UserId.ToString(CultureInfo.InvariantCulture);
        yield return "--regid=" + user.GroupId.ToString(CultureInfo.InvariantCulture);
        yield return groups.Count == 0 ? "--clear-groups" : "--groups=" + string.Join(',', groups.Select(g => g.ToString(CultureInfo.InvariantCulture)));
        yield return "--inh-caps=-all";
        yield return "--bounding-set=-all";
        yield return "--no-new-privs";
    }

    private static string ResolveOnPath(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return program;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin").Append("/bin")
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists) ?? program;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
