using Cairn.Core.Builds;

namespace Cairn.Runner.Phases;

/// <summary>
/// Why a build's commands are being cancelled: StopBuild (STOPPED) or the build timeout
/// (TIMED_OUT). The first reason given wins.
/// </summary>
public sealed class BuildCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private string? _reason;
    private ITimer? _timer;

    public CancellationToken Token => _source.Token;

    /// <summary><see cref="BuildStatuses.Stopped"/> or <see cref="BuildStatuses.TimedOut"/> once cancelled; null before.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    public void Stop() => Cancel(BuildStatuses.Stopped);

    public void TimeOut() => Cancel(BuildStatuses.TimedOut);

    /// <summary>Times the build out after <paramref name="timeout"/> unless it is cancelled first.</summary>
    public void TimeOutAfter(TimeSpan timeout, TimeProvider? time = null)
    {
        _timer?.Dispose();
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => TimeOut(), null, timeout, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _source.Dispose();
    }

    private void Cancel(string reason)
    {
        Interlocked.CompareExchange(ref _reason, reason, null);
        _source.Cancel();
    }
}
