using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Cairn.Runner.Processes;

/// <summary>
/// Runs a process as the leader of its own process group (and session) so that it and everything it starts can be
/// signalled at once, and stops such a group by escalating SIGINT, SIGTERM, SIGKILL.
/// </summary>
/// <remarks>The new group comes from util-linux <c>setsid</c>: .NET cannot call setsid() between fork and exec,
/// and a child that is not a group leader makes <c>setsid</c> exec in place, so the group id is the process id.
/// A process that calls setsid() itself leaves the group and is not reached.</remarks>
public static class ProcessGroups
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly Lazy<string> SetsidPath = new(FindSetsid);

    /// <summary>Starts <paramref name="startInfo"/>'s program through setsid; the returned process's id is its group id.</summary>
    public static Process StartInNewGroup(ProcessStartInfo startInfo)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        var wrapped = new ProcessStartInfo(SetsidPath.Value)
        {
            WorkingDirectory = startInfo.WorkingDirectory,
            RedirectStandardInput = startInfo.RedirectStandardInput,
            RedirectStandardOutput = startInfo.RedirectStandardOutput,
            RedirectStandardError = startInfo.RedirectStandardError,
            UseShellExecute = false,
        };
        wrapped.ArgumentList.Add(startInfo.FileName);
        foreach (var argument in startInfo.ArgumentList)
        {
            wrapped.ArgumentList.Add(argument);
        }

        wrapped.Environment.Clear();
        foreach (var (name, value) in startInfo.Environment)
        {
            wrapped.Environment[name] = value;
        }

        var process = Process.Start(wrapped) ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        WaitUntilGroupLeader(process);
        return process;
    }

    /// <summary>Sends <paramref name="signal"/> to every process in the group; false when the group has no processes.</summary>
    public static bool Signal(int groupId, int signal)
    {
        if (groupId <= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(groupId), groupId, "Refusing to signal process group 0 or 1.");
        }

        return LibC.Kill(-groupId, signal) == 0;
    }

    /// <summary>Ids of the group's processes that are still running (zombies waiting to be reaped do not count).</summary>
    public static IReadOnlyList<int> LiveMembers(int groupId)
    {
        var members = new List<int>();
        if (LibC.Kill(-groupId, 0) != 0 && Marshal.GetLastPInvokeError() == LibC.Esrch)
        {
            return members;
        }

        var buffer = new byte[StatBufferSize];
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var stat = ReadStat(pid, ref buffer);
            if (stat is { } s && s.GroupId == groupId && s.State is not ('Z' or 'X'))
            {
                members.Add(pid);
            }
        }

        return members;
    }

    /// <summary>
    /// Stops every process in the group: SIGINT, then SIGTERM after <paramref name="grace"/>, then SIGKILL after another
    /// <paramref name="grace"/>. Returns true once no live process is left in the group.
    /// </summary>
    public static async Task<bool> TerminateAsync(int groupId, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        foreach (var signal in (int[])[Signals.Interrupt, Signals.Terminate, Signals.Kill])
        {
            if (LiveMembers(groupId).Count == 0)
            {
                return true;
            }

            Signal(groupId, signal);
            if (await WaitUntilEmptyAsync(groupId, grace, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the group to have no live process.</summary>
    public static async Task<bool> WaitUntilEmptyAsync(int groupId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (LiveMembers(groupId).Count > 0)
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        return true;
    }

    private static void WaitUntilGroupLeader(Process process)
    {
        // setsid() runs a moment after Process.Start returns; signalling the group before then would miss it.
        var deadline = Stopwatch.GetTimestamp() + (5 * Stopwatch.Frequency);
        var buffer = new byte[StatBufferSize];
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var stat = ReadStat(process.Id, ref buffer);
            if (stat is null || stat.Value.GroupId == process.Id)
            {
                return;
            }

            Thread.Sleep(1);
        }

        throw new InvalidOperationException($"Process {process.Id} did not become a process group leader.");
    }

    /// <summary>Enough for any /proc/&lt;pid&gt;/stat line (52 numbers and a 16-byte name); a longer one grows the buffer.</summary>
    private const int StatBufferSize = 1024;

    /// <summary>
    /// The state and process group in /proc/&lt;pid&gt;/stat; null when the process is gone or unreadable. Read through
    /// open/read, not File.ReadAllText: a scan of /proc reads every process's, and one that exits between the listing
    /// and the read threw an exception there (several per stopped build).
    /// </summary>
    private static (char State, int GroupId)? ReadStat(int pid, ref byte[] buffer)
    {
        var length = LibC.ReadWholeFile($"/proc/{pid}/stat", ref buffer);
        if (length <= 0)
        {
            return null;
        }

        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so parse after the last ')'.
        var text = buffer.AsSpan(0, length);
        var close = text.LastIndexOf((byte)')');
        if (close < 0 || close + 2 >= text.Length)
        {
            return null;
        }

        var fields = text[(close + 2)..];
        var state = (char)fields[0];
        // Skip the state and the parent's id: the third field is the group.
        for (var skipped = 0; skipped < 2; skipped++)
        {
            var space = fields.IndexOf((byte)' ');
            if (space < 0)
            {
                return null;
            }

            fields = fields[(space + 1)..];
        }

        var end = fields.IndexOf((byte)' ');
        return int.TryParse(end < 0 ? fields : fields[..end], NumberStyles.Integer, CultureInfo.InvariantCulture, out var group)
            ? (state, group)
            : null;
    }

    private static string FindSetsid()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin").Append("/bin"))
        {
            var candidate = Path.Combine(directory, "setsid");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The 'setsid' program (util-linux) is required to run build commands; install util-linux.");
    }
}
