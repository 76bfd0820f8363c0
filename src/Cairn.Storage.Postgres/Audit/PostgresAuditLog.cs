using System.Threading.Channels;
using Cairn.Core.Audit;
using Npgsql;

namespace Cairn.Storage.Postgres.Audit;

/// <summary>
/// The audit log in PostgreSQL (schema <c>cairn_audit</c>). As in SQLite, entries are queued and written in batches by one
/// background loop, one INSERT per <see cref="BatchWindow"/>; <see cref="FlushAsync"/> waits until everything queued is
/// committed. A batch the database refuses for a passing reason (connection lost, failover) is retried, not dropped.
/// Entries hold who did what to which resource, never a value.
/// </summary>
public sealed class PostgresAuditLog : IAuditLog, IAsyncDisposable
{
    public static PostgresMigrationSet Migrations { get; } = new("audit",
    [
        """
        CREATE SCHEMA cairn_audit;
        CREATE TABLE cairn_audit.entries (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            time bigint NOT NULL,
            request_id text NOT NULL,
            principal_arn text NOT NULL,
            access_key_id text,
            region text NOT NULL,
            operation text NOT NULL,
            action text NOT NULL,
            resource text,
            decision text NOT NULL,
            error_code text,
            source_ip text);
        CREATE INDEX entries_time ON cairn_audit.entries (time);
        """,
        // The last allowed use of each resource by each action, per account (the principal's), kept as entries are written.
        """
        CREATE TABLE cairn_audit.last_use (
            account text NOT NULL,
            action text NOT NULL,
            resource text NOT NULL,
            last_time bigint NOT NULL,
            PRIMARY KEY (account, action, resource));
        CREATE INDEX last_use_time ON cairn_audit.last_use (last_time);
        INSERT INTO cairn_audit.last_use (account, action, resource, last_time)
            SELECT substr(principal_arn, 14, 12), action, resource, MAX(time) FROM cairn_audit.entries
            WHERE decision = 'Allow' AND resource IS NOT NULL AND (principal_arn LIKE 'arn:aws:iam::%' OR principal_arn LIKE 'arn:aws:sts::%')
            GROUP BY 1, 2, 3;
        """,
        // A principal's entries by time: the least-privilege suggestion's read and a filter by ARN, without a scan of the log.
        """CREATE INDEX entries_principal ON cairn_audit.entries (principal_arn COLLATE "C", time);""",
        // Each long-term access key's last use (GetAccessKeyLastUsed, the credential report), from the log kept so far.
        """
        CREATE TABLE cairn_audit.key_last_use (
            access_key_id text PRIMARY KEY,
            last_time bigint NOT NULL,
            service text NOT NULL,
            region text NOT NULL);
        INSERT INTO cairn_audit.key_last_use (access_key_id, last_time, service, region)
            SELECT DISTINCT ON (access_key_id) access_key_id, time, split_part(operation, ':', 1), region FROM cairn_audit.entries
            WHERE access_key_id IS NOT NULL AND access_key_id <> '' AND access_key_id NOT LIKE 'ASIA%'
            ORDER BY access_key_id, time DESC;
        """,
    ]);

    private const int MaxBatch = 5000;

    /// <summary>How long the writer gathers entries before one statement writes them all.</summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly PostgresDatabase _database;
    private readonly Channel<AuditEntry> _queue = Channel.CreateUnbounded<AuditEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _writer;
    private long _appended;
    private long _written;
    private int _flushRequests;

    public PostgresAuditLog(PostgresDatabase database)
    {
        _database = database;
        _writer = Task.Run(WriteLoopAsync);
    }

    public void Append(IEnumerable<AuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            Interlocked.Increment(ref _appended);
            _queue.Writer.TryWrite(entry);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _appended);
        Interlocked.Increment(ref _flushRequests);
        try
        {
            while (Interlocked.Read(ref _written) < target && !_writer.IsCompleted)
            {
                await Task.Delay(2, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _flushRequests);
        }
    }

    public Task<int> DeleteOlderThanAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) =>
        _database.WriteAsync(async session =>
        {
            await session.ExecuteAsync("DELETE FROM cairn_audit.last_use WHERE last_time < $1", before).ConfigureAwait(false);
            return await session.ExecuteAsync(
                "DELETE FROM cairn_audit.entries WHERE id IN (SELECT id FROM cairn_audit.entries WHERE time < $1 ORDER BY time LIMIT $2)",
                before, limit).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LastUsesAsync(string accountId, string actionPrefix, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var rows = await _database.ReadAsync(session => session.QueryAsync(
            "SELECT resource, MAX(last_time) FROM cairn_audit.last_use WHERE account = $1 AND lower(left(action, length($2::text))) = lower($2::text) GROUP BY resource",
            row => (Resource: row.GetString(0), Time: row.GetInt64(1)), accountId, actionPrefix), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Resource, r => DateTimeOffset.FromUnixTimeMilliseconds(r.Time), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, AccessKeyLastUse>> AccessKeyLastUsesAsync(IReadOnlyCollection<string> accessKeyIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessKeyIds);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var rows = await _database.ReadAsync(session => session.QueryAsync(
            "SELECT access_key_id, last_time, service, region FROM cairn_audit.key_last_use WHERE access_key_id = ANY($1::text[])",
            row => new AccessKeyLastUse(row.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)), row.GetString(2), row.GetString(3)),
            (object)accessKeyIds.ToArray()), cancellationToken).ConfigureAwait(false);
        return rows.ToDictionary(u => u.AccessKeyId, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (sql, args) = QuerySql(query);
        return await _database.ReadAsync(session => session.QueryAsync(
            sql,
            row => new AuditEntry(
                DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(0)),
                row.GetString(1), row.GetString(2), StringOrNull(row, 3), row.GetString(4), row.GetString(5),
                row.GetString(6), StringOrNull(row, 7), row.GetString(8), StringOrNull(row, 9), StringOrNull(row, 10)),
            args),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The query with only the filters given, so PostgreSQL plans for them (a generic plan cannot use an index behind
    /// <c>$1 IS NULL OR ...</c>): a time window can be a range of the time index, a principal filter that is an ARN's
    /// beginning a range of the principal index (byte order, <c>COLLATE "C"</c>, as the index is built); the planner
    /// picks with its statistics. Newest first is the order written (the id), as before.
    /// </summary>
    private static (string Sql, object?[] Args) QuerySql(AuditQuery query)
    {
        var where = new List<string>();
        var args = new List<object?>();
        string Arg(object? value, string type)
        {
            args.Add(value);
            return "$" + args.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "::" + type;
        }

        if (query.PrincipalContains is { } principal)
        {
            var at = Arg(principal, "text");
            if (AuditPrincipalRange.IsArnStart(principal))
            {
                where.Add($"principal_arn COLLATE \"C\" >= {at}");
                if (AuditPrincipalRange.UpperBound(principal) is { } upper)
                {
                    where.Add($"principal_arn COLLATE \"C\" < {Arg(upper, "text")}");
                }

                where.Add($"starts_with(principal_arn, {at})");
            }
            else
            {
                where.Add($"strpos(principal_arn, {at}) > 0");
            }
        }

        if (query.ActionPrefix is { } action)
        {
            var at = Arg(action, "text");
            where.Add($"lower(left(action, length({at}))) = lower({at})");
        }

        if (query.Decision is { } decision)
        {
            where.Add($"lower(decision) = lower({Arg(decision, "text")})");
        }

        if (query.Since is { } since)
        {
            where.Add($"time >= {Arg(since, "bigint")}");
        }

        if (query.Until is { } until)
        {
            where.Add($"time < {Arg(until, "bigint")}");
        }

        if (query.AccountId is { } account)
        {
            var at = Arg(account, "text");
            where.Add($"left(principal_arn, length({at}) + 14) IN ('arn:aws:iam::' || {at} || ':', 'arn:aws:sts::' || {at} || ':')");
        }

        var sql = "SELECT time, request_id, principal_arn, access_key_id, region, operation, action, resource, decision, error_code, source_ip FROM cairn_audit.entries"
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + $" ORDER BY id DESC LIMIT {Arg(query.Limit, "integer")} OFFSET {Arg(query.Skip, "integer")}";
        return (sql, args.ToArray());
    }

    private static string? StringOrNull(NpgsqlDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);

    private async Task WriteLoopAsync()
    {
        var batch = new List<AuditEntry>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (_flushRequests == 0)
            {
                await Task.Delay(BatchWindow).ConfigureAwait(false);
            }

            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }

            while (!await TryWriteAsync(batch).ConfigureAwait(false))
            {
                try
                {
                    await Task.Delay(RetryDelay, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            Interlocked.Add(ref _written, batch.Count);
            batch.Clear();
        }
    }

    /// <summary>One INSERT of the whole batch (unnest of one array per column); false when the database could not take it now.</summary>
    private async Task<bool> TryWriteAsync(List<AuditEntry> batch)
    {
        try
        {
            // Sorted so that two servers upserting the same rows lock them in the same order (no deadlock).
            var uses = AuditLastUse.Of(batch)
                .OrderBy(u => u.Account, StringComparer.Ordinal).ThenBy(u => u.Action, StringComparer.Ordinal).ThenBy(u => u.Resource, StringComparer.Ordinal)
                .ToList();
            var keyUses = AccessKeyLastUse.Of(batch).OrderBy(u => u.AccessKeyId, StringComparer.Ordinal).ToList();
            await _database.WriteAsync(async session =>
            {
                await session.ExecuteAsync(
                    """
                    INSERT INTO cairn_audit.entries (time, request_id, principal_arn, access_key_id, region, operation, action, resource, decision, error_code, source_ip)
                    SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
                    """,
                    batch.Select(e => e.Time.ToUnixTimeMilliseconds()).ToArray(), batch.Select(e => e.RequestId).ToArray(),
                    batch.Select(e => e.PrincipalArn).ToArray(), batch.Select(e => e.AccessKeyId).ToArray(), batch.Select(e => e.Region).ToArray(),
                    batch.Select(e => e.Operation).ToArray(), batch.Select(e => e.Action).ToArray(), batch.Select(e => e.Resource).ToArray(),
                    batch.Select(e => e.Decision).ToArray(), batch.Select(e => e.ErrorCode).ToArray(), batch.Select(e => e.SourceIp).ToArray()).ConfigureAwait(false);
                if (uses.Count > 0)
                {
                    await session.ExecuteAsync(
                        """
                        INSERT INTO cairn_audit.last_use (account, action, resource, last_time)
                        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
                        ON CONFLICT (account, action, resource) DO UPDATE SET last_time = GREATEST(cairn_audit.last_use.last_time, excluded.last_time)
                        """,
                        uses.Select(u => u.Account).ToArray(), uses.Select(u => u.Action).ToArray(), uses.Select(u => u.Resource).ToArray(),
                        uses.Select(u => u.Time.ToUnixTimeMilliseconds()).ToArray()).ConfigureAwait(false);
                }

                if (keyUses.Count > 0)
                {
                    await session.ExecuteAsync(
                        """
                        INSERT INTO cairn_audit.key_last_use (access_key_id, last_time, service, region)
                        SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[])
                        ON CONFLICT (access_key_id) DO UPDATE SET last_time = excluded.last_time, service = excluded.service, region = excluded.region
                        WHERE excluded.last_time >= cairn_audit.key_last_use.last_time
                        """,
                        keyUses.Select(u => u.AccessKeyId).ToArray(), keyUses.Select(u => u.Time.ToUnixTimeMilliseconds()).ToArray(),
                        keyUses.Select(u => u.Service).ToArray(), keyUses.Select(u => u.Region).ToArray()).ConfigureAwait(false);
                }
            }, _stopping.Token).ConfigureAwait(false);
            return true;
        }
        catch (NpgsqlException e) when (e.IsTransient)
        {
            return false;
        }
    }

    /// <summary>Writes what is queued, then stops; gives up after <see cref="StopTimeout"/> if the database stays away.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(StopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);
}
