using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cairn.Storage.Postgres.Notifications;

/// <summary>
/// PostgreSQL's LISTEN/NOTIFY for one server: ONE connection listens on every channel any store subscribed to, and calls
/// each subscriber of a channel with the payload of each NOTIFY committed on it. A subscriber is called with null when
/// notifications may have been missed (the connection was lost and made again, e.g. after a failover): it must look at
/// the state again. A writer sends its NOTIFY in the transaction that changes the state (<see cref="NotifyAsync"/>), so it
/// is delivered exactly when the change is visible. Subscribe before reading the state, and nothing is missed between
/// the read and the wait.
/// </summary>
public sealed partial class PostgresNotifications : IAsyncDisposable, IDisposable
{
    /// <summary>How long the listening connection waits before it checks that the server is still there.</summary>
    public static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    private readonly PostgresDatabase _database;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<Action<string?>>> _subscribers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _listening = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _pending = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    // This instance's own channel: a NOTIFY on it wakes the listening connection to LISTEN on a new channel.
    private readonly string _wakeChannel = "cairn_wake_" + Guid.NewGuid().ToString("N");
    private Task? _loop;

    public PostgresNotifications(PostgresDatabase database, ILogger<PostgresNotifications>? logger = null)
    {
        _database = database;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>How many times the listening connection was made (1 while it has never been lost).</summary>
    public int Connections => Volatile.Read(ref _connections);

    private int _connections;

    /// <summary>Sends a notification on <paramref name="channel"/> in the session's transaction: delivered when it commits.</summary>
    public static Task NotifyAsync(PostgresSession session, string channel, string payload)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.ExecuteAsync("SELECT pg_notify($1, $2)", channel, payload);
    }

    /// <summary>
    /// Calls <paramref name="notified"/> with each payload sent on <paramref name="channel"/> (null: look again, some may
    /// have been missed) until the returned subscription is disposed. Returns once the channel is listened to: every
    /// NOTIFY committed from then on reaches it. The callback runs on the listening loop: it must only signal, never block.
    /// </summary>
    public async Task<IDisposable> SubscribeAsync(string channel, Action<string?> notified, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(notified);
        ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
        Task listened;
        bool wake;
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(channel, out var list))
            {
                _subscribers[channel] = list = [];
            }

            list.Add(notified);
            if (_listening.Contains(channel))
            {
                listened = Task.CompletedTask;
                wake = false;
            }
            else
            {
                if (!_pending.TryGetValue(channel, out var pending))
                {
                    _pending[channel] = pending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                listened = pending.Task;
                wake = _loop is not null;
                _loop ??= Task.Run(() => ListenLoopAsync(_stop.Token), CancellationToken.None);
            }
        }

        var subscription = new Subscription(this, channel, notified);
        try
        {
            if (wake)
            {
                await _database.WriteAsync(session => NotifyAsync(session, _wakeChannel, ""), cancellationToken).ConfigureAwait(false);
            }

            await listened.WaitAsync(cancellationToken).ConfigureAwait(false);
            return subscription;
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            await loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_loop is not { IsCompleted: false })
        {
            // A loop still stuck in a wait keeps the token; it ends with the connection the process closes.
            _stop.Dispose();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task ListenLoopAsync(CancellationToken stop)
    {
        var retry = TimeSpan.FromMilliseconds(100);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.OpenConnectionAsync(stop).ConfigureAwait(false);
                connection.Notification += (_, e) => Deliver(e.Channel, e.Payload);
                await ListenAsync(connection, [_wakeChannel], stop).ConfigureAwait(false);
                var first = Interlocked.Increment(ref _connections) == 1;
                await ListenPendingAsync(connection, everything: true, stop).ConfigureAwait(false);
                if (!first)
                {
                    LogReconnected(_logger);
                    DeliverToAll(null);
                }

                retry = TimeSpan.FromMilliseconds(100);
                while (true)
                {
                    if (!await connection.WaitAsync(IdleCheck, stop).ConfigureAwait(false))
                    {
                        // Nothing for a while: a server that went away without closing the socket is found here.
                        await using var check = new NpgsqlCommand("SELECT 1", connection);
                        await check.ExecuteScalarAsync(stop).ConfigureAwait(false);
                    }

                    await ListenPendingAsync(connection, everything: false, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException or ObjectDisposedException)
            {
                lock (_gate)
                {
                    _listening.Clear();
                }

                LogListenFailed(_logger, e, retry.TotalMilliseconds);
                try
                {
                    await Task.Delay(retry, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, retry.Ticks * 2));
            }
        }
    }

    /// <summary>LISTENs on the channels subscribed to since the last look (every subscribed channel on a new connection), then tells their subscribers.</summary>
    private async Task ListenPendingAsync(NpgsqlConnection connection, bool everything, CancellationToken stop)
    {
        string[] channels;
        lock (_gate)
        {
            channels = everything ? [.. _subscribers.Keys.Union(_pending.Keys)] : [.. _pending.Keys];
        }

        if (channels.Length == 0)
        {
            return;
        }

        await ListenAsync(connection, channels, stop).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var channel in channels)
            {
                _listening.Add(channel);
                if (_pending.Remove(channel, out var pending))
                {
                    pending.TrySetResult();
                }
            }
        }
    }

    private static async Task ListenAsync(NpgsqlConnection connection, string[] channels, CancellationToken stop)
    {
        await using var command = new NpgsqlCommand(string.Concat(channels.Select(c => $"LISTEN \"{c.Replace("\"", "\"\"", StringComparison.Ordinal)}\";")), connection);
        await command.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
    }

    private void Deliver(string channel, string payload)
    {
        Action<string?>[] subscribers;
        lock (_gate)
        {
            subscribers = _subscribers.TryGetValue(channel, out var list) ? [.. list] : [];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber(payload);
        }
    }

    private void DeliverToAll(string? payload)
    {
        Action<string?>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers.Values.SelectMany(list => list)];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber(payload);
        }
    }

    private void Unsubscribe(string channel, Action<string?> notified)
    {
        lock (_gate)
        {
            // The LISTEN stays: a server follows a few channels, and the next subscriber needs no round trip.
            if (_subscribers.TryGetValue(channel, out var list))
            {
                list.Remove(notified);
            }
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "The PostgreSQL notification connection failed; connecting again in {RetryMs} ms.")]
    private static partial void LogListenFailed(ILogger logger, Exception error, double retryMs);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Information, Message = "The PostgreSQL notification connection is back; followers look again.")]
    private static partial void LogReconnected(ILogger logger);

    private sealed class Subscription(PostgresNotifications owner, string channel, Action<string?> notified) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(channel, notified);
            }
        }
    }
}
