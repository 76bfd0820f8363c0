using System.Threading.Channels;
using Cairn.Core.Audit;

namespace Cairn.Storage.Sqlite.Audit;

/// <summary>
/// The audit log in SQLite. Entries are queued and written in batches by one background loop, at most one transaction
/// (one disk sync) per <see cref="BatchWindow"/>, so auditing a read costs the request no disk sync of its own and a busy
/// server pays a few syncs a second, not one per request. <see cref="FlushAsync"/> waits until everything queued is durable;
/// a crash can lose at most the last window's entries.
/// </summary>
public sealed class SqliteAuditLog : IAuditLog, IAsyncDisposable
{
    public static readonly MigrationSet Migrations = new("audit",
    [
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time INTEGER NOT NULL,
            request_id TEXT NOT NULL,
            principal_arn TEXT NOT NULL,
            access_key_id TEXT,
            region TEXT NOT NULL,
            operation TEXT NOT NULL,
            action TEXT NOT NULL,
            resource TEXT,
            decision TEXT NOT NULL,
            error_code TEXT,
            source_ip TEXT);
        CREATE INDEX audit_log_time ON audit_log (time);
        """,
        // The last allowed use of each resource by each action, per account (the principal's), kept as entries are written.
        """
        CREATE TABLE audit_last_use (
            account TEXT NOT NULL,
            action TEXT NOT NULL,
            resource TEXT NOT NULL,
            last_time INTEGER NOT NULL,
            PRIMARY KEY (account, action, resource)) WITHOUT ROWID;
        CREATE INDEX audit_last_use_time ON audit_last_use (last_time);
        INSERT INTO audit_last_use (account, action, resource, last_time)
            SELECT substr(principal_arn, 14, 12), action, resource, MAX(time) FROM audit_log
            WHERE decision = 'Allow' AND resource IS NOT NULL AND (principal_arn LIKE 'arn:aws:iam::%' OR principal_arn LIKE 'arn:aws:sts::%')
            GROUP BY substr(principal_arn, 14, 12), action, resource;
        """,
        // A principal's entries by time: the least-privilege suggestion's read and a filter by ARN, without a scan of the log.
        "CREATE INDEX audit_log_principal ON audit_log (principal_arn, time);",
        // Each long-term access key's last use (GetAccessKeyLastUsed, the credential report), from the log kept so far.
        """
        CREATE TABLE audit_key_last_use (
            access_key_id TEXT PRIMARY KEY,
            last_time INTEGER NOT NULL,
            service TEXT NOT NULL,
            region TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO audit_key_last_use (access_key_id, last_time, service, region)
            SELECT access_key_id, MAX(time), substr(operation, 1, instr(operation, ':') - 1), region FROM audit_log
            WHERE access_key_id IS NOT NULL AND access_key_id <> '' AND access_key_id NOT LIKE 'ASIA%'
            GROUP BY access_key_id;
        """,
    ]);

    private const int MaxBatch = 5000;

    /// <summary>How long the writer gathers entries before one transaction writes them all.</summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(50);
    private readonly SqliteDatabase _database;
    private readonly Channel<AuditEntry> _queue = Channel.CreateUnbounded<AuditEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _appended;
    private long _written;
    private int _flushRequests;

    public SqliteAuditLog(SqliteDatabase database)
    {
        _database = database;
        _writer = Task.Run(WriteLoopAsync);
    }

    public void Append(IEnumerable<AuditEntry> entries)
    {
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
        _database.WriteAsync(connection =>
        {
            connection.Execute("DELETE FROM audit_last_use WHERE last_time < ?", before);
            return connection.Execute(
                "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE time < ? ORDER BY time LIMIT ?)", before, limit);
        }, cancellationToken);

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LastUsesAsync(string accountId, string actionPrefix, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return _database.Read(connection => connection.Query(
                "SELECT resource, MAX(last_time) FROM audit_last_use WHERE account = ? AND lower(substr(action, 1, length(?2))) = lower(?2) GROUP BY resource",
                row => (Resource: row.GetString(0), Time: row.GetInt64(1)), accountId, actionPrefix))
            .ToDictionary(r => r.Resource, r => DateTimeOffset.FromUnixTimeMilliseconds(r.Time), StringComparer.Ordinal);
    }

    public async Task<IReadOnlyDictionary<string, AccessKeyLastUse>> AccessKeyLastUsesAsync(IReadOnlyCollection<string> accessKeyIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accessKeyIds);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return _database.Read(connection => accessKeyIds.Distinct(StringComparer.Ordinal)
                .SelectMany(id => connection.Query(
                    "SELECT access_key_id, last_time, service, region FROM audit_key_last_use WHERE access_key_id = ?",
                    row => new AccessKeyLastUse(row.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)), row.GetString(2), row.GetString(3)), id))
                .ToList())
            .ToDictionary(u => u.AccessKeyId, StringComparer.Ordinal);
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (sql, args) = QuerySql(query);
        IReadOnlyList<AuditEntry> rows = _database.Read(connection => connection.Query(
            sql,
            row => new AuditEntry(
                DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(0)),
                row.GetString(1), row.GetString(2), row.GetStringOrNull(3), row.GetString(4), row.GetString(5),
                row.GetString(6), row.GetStringOrNull(7), row.GetString(8), row.GetStringOrNull(9), row.GetStringOrNull(10)),
            args));
        return Task.FromResult(rows);
    }

    /// <summary>
    /// The query with only the filters given (SQLite cannot plan past <c>?1 IS NULL OR ...</c>).
    /// Newest first is the order written (the row id), as before. A principal filter that is an ARN's beginning reads
    /// the principal index's range (a rare principal's entries without a scan of the log; a busy one's are sorted); a
    /// time window bounds the row ids by the lowest and highest of the entries in it, found on the time index, so the
    /// scan stops at the window's edge (exact: every entry in the window has an id between those two, whatever order
    /// long requests finished in). The other filters are checked on the rows read.
    /// </summary>
    private static (string Sql, object?[] Args) QuerySql(AuditQuery query)
    {
        var where = new List<string>();
        var args = new List<object?>();
        string Arg(object? value)
        {
            args.Add(value);
            return "?" + args.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var byPrincipal = query.PrincipalContains is { } arn && AuditPrincipalRange.IsArnStart(arn);
        if (query.PrincipalContains is { } principal)
        {
            if (byPrincipal)
            {
                // instr keeps the answer exact whatever the bound; the range is what lets the index find the rows.
                var at = Arg(principal);
                where.Add($"principal_arn >= {at}");
                if (AuditPrincipalRange.UpperBound(principal) is { } upper)
                {
                    where.Add($"principal_arn < {Arg(upper)}");
                }

                where.Add($"instr(principal_arn, {at}) = 1");
            }
            else
            {
                where.Add($"instr(principal_arn, {Arg(principal)}) > 0");
            }
        }

        if (query.ActionPrefix is { } action)
        {
            var at = Arg(action);
            where.Add($"lower(substr(action, 1, length({at}))) = lower({at})");
        }

        if (query.Decision is { } decision)
        {
            where.Add($"lower(decision) = lower({Arg(decision)})");
        }

        if (query.Since is not null || query.Until is not null)
        {
            var window = new List<string>();
            if (query.Since is { } since)
            {
                window.Add($"time >= {Arg(since)}");
            }

            if (query.Until is { } until)
            {
                window.Add($"time < {Arg(until)}");
            }

            var inWindow = string.Join(" AND ", window);
            where.Add(inWindow);
            if (!byPrincipal)
            {
                where.Add($"id BETWEEN (SELECT min(id) FROM audit_log INDEXED BY audit_log_time WHERE {inWindow}) AND (SELECT max(id) FROM audit_log INDEXED BY audit_log_time WHERE {inWindow})");
            }
        }

        if (query.AccountId is { } account)
        {
            var at = Arg(account);
            where.Add($"substr(principal_arn, 1, length({at}) + 14) IN ('arn:aws:iam::' || {at} || ':', 'arn:aws:sts::' || {at} || ':')");
        }

        var sql = "SELECT time, request_id, principal_arn, access_key_id, region, operation, action, resource, decision, error_code, source_ip FROM audit_log"
            // Told which way to read: left to itself, SQLite may read a name fragment's matches off the smaller principal
            // index and sort them all, or a principal's off the row ids and scan the log.
            + (byPrincipal ? " INDEXED BY audit_log_principal" : " NOT INDEXED")
            + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
            + $" ORDER BY id DESC LIMIT {Arg(query.Limit)} OFFSET {Arg(query.Skip)}";
        return (sql, args.ToArray());
    }

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

            await _database.WriteAsync(connection =>
            {
                // Several rows a statement: an entry costs about 0.6 of what a statement each did (docs/performance.md).
                connection.ExecuteRows(
                    "INSERT INTO audit_log (time, request_id, principal_arn, access_key_id, region, operation, action, resource, decision, error_code, source_ip)",
                    11, "", batch, (e, values, at) =>
                    {
                        values[at] = e.Time;
                        values[at + 1] = e.RequestId;
                        values[at + 2] = e.PrincipalArn;
                        values[at + 3] = e.AccessKeyId;
                        values[at + 4] = e.Region;
                        values[at + 5] = e.Operation;
                        values[at + 6] = e.Action;
                        values[at + 7] = e.Resource;
                        values[at + 8] = e.Decision;
                        values[at + 9] = e.ErrorCode;
                        values[at + 10] = e.SourceIp;
                    });
                connection.ExecuteRows(
                    "INSERT INTO audit_last_use (account, action, resource, last_time)", 4,
                    "ON CONFLICT (account, action, resource) DO UPDATE SET last_time = max(last_time, excluded.last_time)",
                    AuditLastUse.Of(batch).ToList(), (use, values, at) =>
                    {
                        values[at] = use.Account;
                        values[at + 1] = use.Action;
                        values[at + 2] = use.Resource;
                        values[at + 3] = use.Time;
                    });

                foreach (var use in AccessKeyLastUse.Of(batch))
                {
                    connection.Execute(
                        """
                        INSERT INTO audit_key_last_use (access_key_id, last_time, service, region) VALUES (?, ?, ?, ?)
                        ON CONFLICT (access_key_id) DO UPDATE SET last_time = excluded.last_time, service = excluded.service, region = excluded.region
                        WHERE excluded.last_time >= audit_key_last_use.last_time
                        """,
                        use.AccessKeyId, use.Time, use.Service, use.Region);
                }
            }, CancellationToken.None).ConfigureAwait(false);
            Interlocked.Add(ref _written, batch.Count);
            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }
}
