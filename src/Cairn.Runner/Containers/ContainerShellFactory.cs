using System.Text;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Containers;

/// <summary>
/// Makes the build's shell run inside a container: the shell program becomes a small wrapper script that starts
/// <c>docker run --interactive --rm</c> of the project's image with the build's variables, the source mounted at the
/// same path (so CODEBUILD_SRC_DIR means the same inside) and the host's network (so the Cairn endpoint and
/// 127.0.0.1 registries are reachable). Everything else (one shell for all commands, markers, masking) is the same
/// <see cref="ShellSession"/> as on the host. Containers carry the label <see cref="DockerEngine.BuildLabel"/>, so a
/// stopped build's containers are removed with <see cref="DockerEngine.RemoveBuildContainersAsync"/>.
/// </summary>
public sealed class ContainerShellFactory(ContainerSettings settings) : IShellHost
{
    /// <summary>A shell for the build's commands: one session (buildspec 0.2) or one container per command (0.1).</summary>
    public ICommandShell Create(ShellOptions options, bool sharesOneShell)
    {
        ArgumentNullException.ThrowIfNull(options);
        var containerOptions = Adapt(options);
        return new HostShells().Create(containerOptions, sharesOneShell);
    }

    /// <summary>The host shell's options turned into the container's: the wrapper as the shell, scripts in a mounted directory.</summary>
    public ShellOptions Adapt(ShellOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var binDirectory = Path.Combine(settings.WorkDirectory, "bin");
        // The runner's own script directory when it has one (it also reads files the shell writes there), else ours; mounted either way.
        var scriptDirectory = options.ScriptDirectory ?? Path.Combine(settings.WorkDirectory, "scripts");
        Directory.CreateDirectory(binDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(scriptDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // Named like the shell so that ShellSession treats bash as bash (no separate syntax check) and sh as sh.
        var wrapper = Path.Combine(binDirectory, Path.GetFileName(options.Shell));
        File.WriteAllText(wrapper, WrapperScript(options, scriptDirectory));
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return options with { Shell = wrapper, ScriptDirectory = scriptDirectory };
    }

    private string WrapperScript(ShellOptions options, string scriptDirectory)
    {
        var shell = options.Shell;
        var docker = ResolveOnPath(settings.DockerCommand);
        var mounts = settings.Mounts.Append(settings.WorkDirectory).Append(scriptDirectory).Append(options.WorkingDirectory).Distinct(StringComparer.Ordinal);
        var run = new StringBuilder();
        run.Append("exec ").Append(Quote(docker)).Append(" run --interactive --rm");
        run.Append(" --name \"cairn-").Append(settings.BuildUuid).Append("-$$\"");
        run.Append(" --label ").Append(Quote($"{DockerEngine.BuildLabel}={settings.BuildUuid}"));
        run.Append(" --network host");
        foreach (var mount in mounts)
        {
            run.Append(" --volume ").Append(Quote($"{mount}:{mount}"));
        }

        if (settings.PrivilegedMode)
        {
            run.Append(" --volume ").Append(Quote($"{settings.DockerSocket}:/var/run/docker.sock"));
        }

        run.Append(" --workdir ").Append(Quote(options.WorkingDirectory));
        foreach (var name in options.Variables.Keys.Order(StringComparer.Ordinal))
        {
            // --env NAME (no value) takes the value from this script's environment, so no value appears in a process list.
            run.Append(" --env ").Append(Quote(name));
        }

        run.Append(' ').Append(Quote(settings.Image)).Append(' ').Append(Quote(shell));
        return "#!/bin/sh\n"
            + $"# Cairn: runs the build's shell ({shell}) in a container of {settings.Image}.\n"
            + "# The runner's syntax check (-n FILE) runs inside the container, where this file is mounted too.\n"
            + $"if [ \"$1\" = \"-n\" ]; then exec {Quote(shell)} \"$@\"; fi\n"
            + run + "\n";
    }

    private static string ResolveOnPath(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return program;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists) ?? program;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
