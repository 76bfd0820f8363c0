using System.Globalization;
using System.Text;

namespace Cairn.Runner.Processes;

/// <summary>
/// Finds and kills processes by a variable in their environment (CODEBUILD_BUILD_ID=&lt;id&gt;), which every process of a
/// build inherits. After a crash nothing else is left that says which processes belonged to a build; a process id
/// alone could by then name an unrelated process.
/// </summary>
public static class MarkedProcesses
{
    /// <summary>Ids of this user's running processes whose environment holds <paramref name="name"/>=<paramref name="value"/>.</summary>
    public static IReadOnlyList<int> Find(string name, string value)
    {
        var entry = Encoding.UTF8.GetBytes($"{name}={value}");
        var found = new List<int>();
        var buffer = new byte[16 * 1024];
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            // Read without exceptions: most of /proc refuses (kernel threads, other users' processes, ones just gone),
            // and an exception per process cost every build's end several milliseconds.
            var length = LibC.ReadWholeFile(Path.Combine(directory, "environ"), ref buffer);
            if (length <= 0)
            {
                continue;
            }

            var environment = buffer.AsSpan(0, length);
            foreach (var variable in environment.Split((byte)0))
            {
                if (environment[variable].SequenceEqual(entry))
                {
                    found.Add(pid);
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>SIGKILLs every such process, again until none is left (a dying parent may start children); returns how many were killed.</summary>
    public static async Task<int> KillAsync(string name, string value, CancellationToken cancellationToken = default)
    {
        var killed = new HashSet<int>();
        for (var round = 0; round < 10; round++)
        {
            var pids = Find(name, value);
            if (pids.Count == 0)
            {
                break;
            }

            foreach (var pid in pids)
            {
                if (LibC.Kill(pid, Signals.Kill) == 0)
                {
                    killed.Add(pid);
                }
            }

            await Task.Delay(50, cancellationToken);
        }

        return killed.Count;
    }
}
