using System.Diagnostics;
using System.Globalization;
using Cairn.Storage.Builds;

namespace Cairn.Application.Builds.Queue;

/// <summary>
/// The server process that claimed a build: host, process id and the process's start time (which tells a live process
/// from a later one that reused its id). Stored with the build as <c>host/pid/start-ms</c>.
/// </summary>
public sealed record ClaimingProcess(string Host, int ProcessId, long StartedAtMilliseconds)
{
    /// <summary>A runner on another host is taken for gone when it has not said it runs its builds for this long.</summary>
    public static readonly TimeSpan LeaseTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How often a server says it still runs its builds (a quarter of the lease).</summary>
    public static readonly TimeSpan HeartbeatInterval = LeaseTimeout / 4;

    public static ClaimingProcess Current { get; } = OfCurrentProcess();

    /// <summary><see cref="Current"/> as stored with the builds it claims.</summary>
    public static string CurrentId { get; } = Current.ToString();

    public override string ToString() => FormattableString.Invariant($"{Host}/{ProcessId}/{StartedAtMilliseconds}");

    public static ClaimingProcess? Parse(string? text)
    {
        var parts = text?.Split('/');
        return parts is [var host, var pid, var started]
            && int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var processId)
            && long.TryParse(started, NumberStyles.None, CultureInfo.InvariantCulture, out var startedAt)
            ? new ClaimingProcess(host, processId, startedAt)
            : null;
    }

    /// <summary>
    /// Whether the build's runner is gone, so the build can never finish: claimed before runners were recorded, a process
    /// on this host that no longer exists (or is another process under the same id), or a runner elsewhere whose last
    /// heartbeat is older than <see cref="LeaseTimeout"/>.
    /// </summary>
    public static bool IsOrphaned(RunningBuild build, ClaimingProcess self, DateTimeOffset now, Func<ClaimingProcess, bool> isAlive) =>
        IsOrphaned(build.Runner, build.RunnerSeenAt, self, now, isAlive, LeaseTimeout);

    /// <summary>
    /// The same rule for any work a runner (<c>host/pid/start-ms</c>) claims: gone when none is recorded, when it is a
    /// process on this host that no longer exists, or when it runs elsewhere and was last seen more than
    /// <paramref name="lease"/> ago (or never). A pipeline action's runner, whose heartbeat is kept per process.
    /// </summary>
    public static bool IsOrphaned(string? runnerText, DateTimeOffset? seenAt, ClaimingProcess self, DateTimeOffset now, Func<ClaimingProcess, bool> isAlive, TimeSpan lease)
    {
        ArgumentNullException.ThrowIfNull(isAlive);
        if (Parse(runnerText) is not { } runner)
        {
            return true;
        }

        if (runner == self)
        {
            return false;
        }

        return runner.Host == self.Host
            ? !isAlive(runner)
            : seenAt is not { } seen || now - seen > lease;
    }

    /// <summary>Whether this runner's process is alive on this host.</summary>
    public static bool IsAliveHere(ClaimingProcess runner)
    {
        try
        {
            using var process = Process.GetProcessById(runner.ProcessId);
            return Math.Abs(StartedAt(process) - runner.StartedAtMilliseconds) < 1_000;
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The identity a server running in <paramref name="process"/> on this host would have.</summary>
    public static ClaimingProcess Of(Process process) => new(Environment.MachineName.Replace('/', '_'), process.Id, StartedAt(process));

    private static ClaimingProcess OfCurrentProcess()
    {
        using var process = Process.GetCurrentProcess();
        return Of(process);
    }

    private static long StartedAt(Process process) => new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
}
