namespace Cairn.Runner.Phases;

/// <summary>
/// Why a build's commands are being cancelled: StopBuild (<see cref="PhaseStatus.Stopped"/>) or the build timeout
/// (<see cref="PhaseStatus.TimedOut"/>). The first reason given wins.
/// </summary>
public sealed class BuildCancellation : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private int _reason = -1;
    private ITimer? _timer;

    public CancellationToken Token => _source.Token;

    /// <summary>Stopped or TimedOut once cancelled; null before.</summary>
    public PhaseStatus? Reason => _reason < 0 ? null : (PhaseStatus)Volatile.Read(ref _reason);

    public void Stop() => Cancel(PhaseStatus.Stopped);

    public void TimeOut() => Cancel(PhaseStatus.TimedOut);

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

    private void Cancel(PhaseStatus reason)
    {
        Interlocked.CompareExchange(ref _reason, (int)reason, -1);
        _source.Cancel();
    }
}
