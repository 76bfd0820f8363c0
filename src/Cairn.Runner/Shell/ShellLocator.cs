namespace Cairn.Runner.Shell;

/// <summary>Turns a buildspec env.shell value (<c>bash</c>, <c>sh</c>, <c>/bin/sh</c>, a path) into a program path.</summary>
public static class ShellLocator
{
    public static string Resolve(string shell)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shell);
        if (Path.IsPathRooted(shell))
        {
            return File.Exists(shell) ? shell : throw new FileNotFoundException($"Shell '{shell}' does not exist.", shell);
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin").Append("/bin"))
        {
            var candidate = Path.Combine(directory, shell);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Shell '{shell}' was not found on PATH; env.shell must be bash or /bin/sh.", shell);
    }
}
