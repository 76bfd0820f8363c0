using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Postgres.Notifications;
using Npgsql;

namespace Cairn.Storage.Postgres.BuildLogs;

/// <summary>
/// Build logs in PostgreSQL (schema <c>cairn_buildlogs</c>, <see cref="BuildLogMigrations"/>), so that every server on the
/// database reads every build's log, whichever server ran the build or took its agent's chunks. A range, a tail, a time
/// bound and a resumed search start at their line through the (build, index) and (build, time) indexes, never reading
/// the lines before. Followers are woken by NOTIFY on <see cref="Channel"/> (sent in each appending transaction) through
/// the server's one listening connection (<see cref="PostgresNotifications"/>), never by polling.
/// </summary>
public sealed class PostgresBuildLogStore(PostgresDatabase database, PostgresNotifications notifications) : IBuildLogStore
{
    /// <summary>The channel each append, completion or deletion notifies, with the build's uuid as payload.</summary>
    public const string Channel = "cairn_build_logs";

    private const int FollowPageSize = 1000;
    private const string Head = "SELECT line_count, bytes, first_ms, last_ms, complete FROM cairn_buildlogs.logs WHERE build = $1";
    private const string LineColumns = "idx, time_ms, message";

    private readonly ConcurrentDictionary<Guid, PostgresBuildLogWriter> _writers = new();
    private long _followerLooks;

    /// <summary>How many times followers have read a log: once per page returned or wake-up, never on a clock.</summary>
    internal long FollowerLooks => Interlocked.Read(ref _followerLooks);

    public IBuildLogWriter OpenWriter(string buildUuid)
    {
        var build = Parse(buildUuid);
        if (_writers.ContainsKey(build))
        {
            throw new InvalidOperationException($"The log of build {buildUuid} is already open for writing; dispose that writer first.");
        }

        var writer = new PostgresBuildLogWriter(database, build, w => _writers.TryRemove(new KeyValuePair<Guid, PostgresBuildLogWriter>(w.Build, w)));
        if (!_writers.TryAdd(build, writer))
        {
            throw new InvalidOperationException($"The log of build {buildUuid} is already open for writing; dispose that writer first.");
        }

        return writer;
    }

    public async ValueTask<BuildLogInfo> DescribeAsync(string buildUuid, CancellationToken cancellationToken)
    {
        var build = Parse(buildUuid);
        var head = await database.ReadAsync(s => s.QuerySingleAsync(Head, ReadHead, build), cancellationToken).ConfigureAwait(false);
        return head is null ? BuildLogInfo.None : new BuildLogInfo(head.Count, Time(head.FirstMs), Time(head.LastMs), head.Complete);
    }

    public async ValueTask<long> StoredBytesAsync(string buildUuid, CancellationToken cancellationToken)
    {
        var build = Parse(buildUuid);
        return await database.ReadAsync(s => s.QuerySingleAsync(Head, ReadHead, build), cancellationToken).ConfigureAwait(false) is { } head ? head.Bytes : 0;
    }

    public async ValueTask<BuildLogPage> ReadAsync(string buildUuid, BuildLogRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var build = Parse(buildUuid);
        return await database.ReadAsync(async s =>
        {
            // The head first: lines are read only below its count, so a page never holds more than the count it reports.
            var head = await s.QuerySingleAsync(Head, ReadHead, build).ConfigureAwait(false);
            if (head is null || head.Count == 0 || range.Limit <= 0)
            {
                return new BuildLogPage([], head?.Count ?? 0, head?.Complete ?? false);
            }

            var (from, to) = await BoundsAsync(s, build, head.Count, range.From, range.To, range.Since, range.Until).ConfigureAwait(false);
            if (from >= to)
            {
                return new BuildLogPage([], head.Count, head.Complete);
            }

            var events = await s.QueryAsync(
                $"SELECT {LineColumns} FROM cairn_buildlogs.lines WHERE build = $1 AND idx >= $2 AND idx < $3 ORDER BY idx {(range.FromEnd ? "DESC" : "ASC")} LIMIT $4",
                ReadEvent, build, from, to, (long)range.Limit).ConfigureAwait(false);
            if (range.FromEnd)
            {
                events.Reverse();
            }

            return new BuildLogPage(events, head.Count, head.Complete);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<BuildLogSearchResult> SearchAsync(string buildUuid, BuildLogSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var build = Parse(buildUuid);
        return await database.ReadAsync(async s =>
        {
            var head = await s.QuerySingleAsync(Head, ReadHead, build).ConfigureAwait(false);
            if (head is null || head.Count == 0)
            {
                return new BuildLogSearchResult([], null);
            }

            var (from, to) = await BoundsAsync(s, build, head.Count, search.From, long.MaxValue, search.Since, search.Until).ConfigureAwait(false);
            if (from >= to)
            {
                return new BuildLogSearchResult([], null);
            }

            // Terms match the lines' UTF-8 bytes (position in bytea), as BuildLogSearch.Matches does: case-sensitive, ordinal.
            var args = new List<object?> { build, from, to, (long)search.Limit + 1 };
            var sql = new StringBuilder($"SELECT {LineColumns} FROM cairn_buildlogs.lines WHERE build = $1 AND idx >= $2 AND idx < $3");
            foreach (var term in search.AllOf)
            {
                args.Add(Encoding.UTF8.GetBytes(term));
                sql.Append(CultureInfo.InvariantCulture, $" AND position(${args.Count} IN message) > 0");
            }

            if (search.AnyOf.Count > 0)
            {
                var any = search.AnyOf.Select(term =>
                {
                    args.Add(Encoding.UTF8.GetBytes(term));
                    return $"position(${args.Count} IN message) > 0";
                }).ToList();
                sql.Append(" AND (").AppendJoin(" OR ", any).Append(')');
            }

            foreach (var term in search.NoneOf)
            {
                args.Add(Encoding.UTF8.GetBytes(term));
                sql.Append(CultureInfo.InvariantCulture, $" AND position(${args.Count} IN message) = 0");
            }

            sql.Append(" ORDER BY idx LIMIT $4");
            var found = await s.QueryAsync(sql.ToString(), ReadEvent, [.. args]).ConfigureAwait(false);
            if (found.Count <= search.Limit)
            {
                return new BuildLogSearchResult(found, null);
            }

            return new BuildLogSearchResult(found[..search.Limit], found[search.Limit].Index);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<BuildLogPage> FollowAsync(string buildUuid, long fromIndex, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var payload = Parse(buildUuid).ToString();
        var next = Math.Max(0, fromIndex);
        using var woken = new SemaphoreSlim(0, 1);

        // Listening before the first read: a line committed after a read always wakes the wait that follows it.
        using var subscription = await notifications.SubscribeAsync(Channel, notified =>
        {
            if (notified is null || notified == payload)
            {
                Wake(woken);
            }
        }, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            Interlocked.Increment(ref _followerLooks);
            var page = await ReadAsync(buildUuid, new BuildLogRange { From = next, Limit = FollowPageSize }, cancellationToken).ConfigureAwait(false);
            if (page.Events.Count > 0)
            {
                next = page.Events[^1].Index + 1;
                yield return page;
                continue;
            }

            if (page.IsComplete)
            {
                yield break;
            }

            await woken.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask CompleteAsync(string buildUuid, CancellationToken cancellationToken)
    {
        var build = Parse(buildUuid);
        await database.WriteAsync(async s =>
        {
            await s.ExecuteAsync(
                "INSERT INTO cairn_buildlogs.logs AS l (build, complete) VALUES ($1, true) ON CONFLICT (build) DO UPDATE SET complete = true", build).ConfigureAwait(false);
            await PostgresNotifications.NotifyAsync(s, Channel, build.ToString()).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DeleteAsync(string buildUuid, CancellationToken cancellationToken)
    {
        var build = Parse(buildUuid);
        if (_writers.ContainsKey(build))
        {
            throw new InvalidOperationException($"The log of build {buildUuid} is open for writing.");
        }

        await database.WriteAsync(async s =>
        {
            await s.ExecuteAsync("DELETE FROM cairn_buildlogs.lines WHERE build = $1", build).ConfigureAwait(false);
            if (await s.ExecuteAsync("DELETE FROM cairn_buildlogs.logs WHERE build = $1", build).ConfigureAwait(false) > 0)
            {
                await PostgresNotifications.NotifyAsync(s, Channel, build.ToString()).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The lines in [<paramref name="from"/>, <paramref name="to"/>) of the first <paramref name="count"/> written in [since, until): times never go back, so a bound is the first line at or after it.</summary>
    private static async Task<(long From, long To)> BoundsAsync(
        PostgresSession s, Guid build, long count, long from, long to, DateTimeOffset? since, DateTimeOffset? until)
    {
        from = Math.Clamp(from, 0, count);
        to = Math.Clamp(to, from, count);
        if (since is { } start && from < to)
        {
            from = await FirstAtOrAfterAsync(s, build, from, to, start).ConfigureAwait(false);
        }

        if (until is { } end && from < to)
        {
            to = await FirstAtOrAfterAsync(s, build, from, to, end).ConfigureAwait(false);
        }

        return (from, to);
    }

    private static async Task<long> FirstAtOrAfterAsync(PostgresSession s, Guid build, long from, long to, DateTimeOffset time) =>
        await s.QuerySingleAsync(
            "SELECT idx FROM cairn_buildlogs.lines WHERE build = $1 AND time_ms >= $2 AND idx >= $3 AND idx < $4 ORDER BY time_ms, idx LIMIT 1",
            r => (long?)r.GetInt64(0), build, time, from, to).ConfigureAwait(false) ?? to;

    private static void Wake(SemaphoreSlim woken)
    {
        try
        {
            if (woken.CurrentCount == 0)
            {
                woken.Release();
            }
        }
        catch (Exception e) when (e is SemaphoreFullException or ObjectDisposedException)
        {
            // Already woken, or the follower has gone.
        }
    }

    private static LogHead ReadHead(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.GetBoolean(4));

    private static BuildLogEvent ReadEvent(NpgsqlDataReader r) =>
        new(r.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), Encoding.UTF8.GetString(r.GetFieldValue<byte[]>(2)) + "\n");

    private static DateTimeOffset? Time(long? ms) => ms is { } value ? DateTimeOffset.FromUnixTimeMilliseconds(value) : null;

    /// <summary>Uuids come from requests: only a build uuid names a log.</summary>
    private static Guid Parse(string uuid) =>
        Guid.TryParseExact(uuid, "D", out var build) ? build : throw new ArgumentException($"'{uuid}' is not a build uuid.", nameof(uuid));

    private sealed record LogHead(long Count, long Bytes, long? FirstMs, long? LastMs, bool Complete);
}
