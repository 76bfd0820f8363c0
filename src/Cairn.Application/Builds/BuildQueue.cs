using System.Collections.Concurrent;
using Cairn.Runner.Phases;

namespace Cairn.Application.Builds;

/// <summary>
/// The in-process side of the build queue: the database holds the queued builds; this wakes idle workers when one
/// is added and reaches the cancellation of builds running here when StopBuild is called.
/// </summary>
public sealed class BuildQueue : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly ConcurrentDictionary<string, BuildCancellation> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _ended = new(StringComparer.Ordinal);
    private TaskCompletionSource _nextEnd = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _queued = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A build was queued (or a slot freed): wake one waiting worker.</summary>
    public void Notify()
    {
        _signal.Release();
        Interlocked.Exchange(ref _queued, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes at the next <see cref="Notify"/>: every agent long-poll waiting on it wakes, not just one worker.</summary>
    public Task NextNotify => Volatile.Read(ref _queued).Task;

    /// <summary>Waits for <see cref="Notify"/> or the timeout; true when notified.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Register(string uuid, BuildCancellation cancellation)
    {
        _ended[uuid] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _running[uuid] = cancellation;
    }

    /// <summary>The build that ran here is over and its end is stored: whoever waits in <see cref="WaitForEndAsync"/> goes on.</summary>
    public void Unregister(string uuid)
    {
        _running.TryRemove(uuid, out _);
        if (_ended.TryRemove(uuid, out var ended))
        {
            ended.TrySetResult();
        }

        Interlocked.Exchange(ref _nextEnd, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>
    /// Completes when the next build that runs in this process ends (its end stored), whichever build it is. Take it
    /// before reading a build's state, so an end between the read and the wait is not missed; a build queued now but
    /// not yet claimed is covered too, which <see cref="WaitForEndAsync"/> is not.
    /// </summary>
    public Task NextEnd => Volatile.Read(ref _nextEnd).Task;

    /// <summary>Waits until a build running in this process has ended (or <paramref name="timeout"/>, real time); at once when it runs elsewhere.</summary>
    public async Task WaitForEndAsync(string uuid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_ended.TryGetValue(uuid, out var ended))
        {
            return;
        }

        try
        {
            await ended.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Still stopping (a command ignoring SIGINT and SIGTERM until SIGKILL): the caller answers with the build as it is.
        }
    }

    /// <summary>Stops the build if it runs in this process; false when it does not.</summary>
    public bool Stop(string uuid)
    {
        if (_running.TryGetValue(uuid, out var cancellation))
        {
            cancellation.Stop();
            return true;
        }

        return false;
    }

    public int RunningCount => _running.Count;

    public void Dispose() => _signal.Dispose();
}
