namespace Cairn.Runner.Builds;

/// <summary>
/// A private (0700) directory for the shell's per-command script files, in memory (/dev/shm) when the host has it:
/// every command is a file created and deleted, and on a journaling disk that costs more than running the command.
/// </summary>
internal sealed class ScratchDirectory : IDisposable
{
    private const string SharedMemory = "/dev/shm";

    private ScratchDirectory(string path) => Path = path;

    public string Path { get; }

    public static ScratchDirectory Create(string prefix)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..12];
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        if (Directory.Exists(SharedMemory))
        {
            try
            {
                return new ScratchDirectory(Directory.CreateDirectory(System.IO.Path.Combine(SharedMemory, name), OwnerOnly).FullName);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Not writable here (a locked-down container): the temporary directory will do.
            }
        }

        return new ScratchDirectory(Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), name), OwnerOnly).FullName);
    }

    /// <summary>What is left there is left for the temp cleaner: it holds nothing but already-run commands.</summary>
    public void Dispose() => DirectoryTrees.TryDelete(Path);
}
