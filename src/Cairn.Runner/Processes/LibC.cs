using System.Runtime.InteropServices;

namespace Cairn.Runner.Processes;

/// <summary>The few libc calls .NET's Process class does not offer.</summary>
internal static partial class LibC
{
    public const int Esrch = 3;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Chown(string path, int owner, int group);
}
