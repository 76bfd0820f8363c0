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

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var stat = ReadStat(pid);
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
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var stat = ReadStat(process.Id);
            if (stat is null || stat.Value.GroupId == process.Id)
            {
                return;
            }

            Thread.Sleep(1);
        }

        throw new InvalidOperationException($"Process {process.Id} did not become a process group leader.");
    }

    private static (char State, int GroupId)? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so parse after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 2 && int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var group)
            ? (fields[0][0], group)
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
