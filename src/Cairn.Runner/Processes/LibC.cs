using System.Runtime.InteropServices;

namespace Cairn.Runner.Processes;

/// <summary>The few libc calls .NET's Process class does not offer.</summary>
internal static partial class LibC
{
    public const int Esrch = 3;

    private const int Eintr = 4;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    private const int ReadOnlyCloseOnExec = 0x80000; // O_RDONLY | O_CLOEXEC

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int descriptor, ref byte buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);

    /// <summary>
    /// A whole file read into <paramref name="buffer"/> (grown as needed), or -1 when it cannot be opened or read: for
    /// /proc files that vanish or refuse (another user's process, a kernel thread's environ) without an exception each.
    /// </summary>
    public static int ReadWholeFile(string path, ref byte[] buffer)
    {
        var descriptor = Open(path, ReadOnlyCloseOnExec);
        if (descriptor < 0)
        {
            return -1;
        }

        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = Read(descriptor, ref buffer[length], buffer.Length - length);
                if (read < 0 && Marshal.GetLastPInvokeError() == Eintr)
                {
                    continue;
                }

                if (read < 0)
                {
                    return -1;
                }

                if (read == 0)
                {
                    return length;
                }

                length += (int)read;
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Chown(string path, int owner, int group);
}
