using System.Text;
using Cairn.Storage.BuildLogs;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Storage.Postgres.BuildLogs;

/// <summary>
/// Appends to one build's log in PostgreSQL. Lines wait here until <see cref="Flush"/> (at once for <see cref="Append"/>,
/// or when 64 KiB wait), then go in ONE transaction that locks the log's head row, numbers them after the lines the log
/// holds (another server may have appended since this writer last looked), updates the head and sends the NOTIFY that
/// wakes followers on every server when it commits. The interface is synchronous, so are these calls.
/// </summary>
internal sealed class PostgresBuildLogWriter : IBuildLogWriter
{
    private const int FlushAt = 64 * 1024;

    private readonly PostgresDatabase _database;
    private readonly Guid _build;
    private readonly Action<PostgresBuildLogWriter> _released;
    private readonly Lock _gate = new();
    private readonly List<(byte[] Text, long Ms)> _pending = [];
    private int _pendingBytes;
    private long _count;
    private bool _disposed;

    /// <summary>Opens the log (creating it when new) and marks it incomplete; <paramref name="released"/> is told when it is complete.</summary>
    public PostgresBuildLogWriter(PostgresDatabase database, Guid build, Action<PostgresBuildLogWriter> released)
    {
        (_database, _build, _released) = (database, build, released);
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        _count = (long)Scalar(
            connection,
            "INSERT INTO cairn_buildlogs.logs AS l (build) VALUES ($1) ON CONFLICT (build) DO UPDATE SET complete = false RETURNING line_count",
            build)!;
        Notify(connection, build);
        transaction.Commit();
    }

    public Guid Build => _build;

    /// <summary>The lines the log holds, read again when none is waiting here (another server may have appended), plus those waiting.</summary>
    public long Count
    {
        get
        {
            lock (_gate)
            {
                if (_pending.Count == 0 && !_disposed)
                {
                    using var connection = _database.OpenConnection();
                    _count = (long?)Scalar(connection, "SELECT line_count FROM cairn_buildlogs.logs WHERE build = $1", _build) ?? 0;
                }

                return _count + _pending.Count;
            }
        }
    }

    public long Append(string line, DateTimeOffset timestamp)
    {
        lock (_gate)
        {
            AppendBatched(line, timestamp);
            Write(complete: false);
            return _count;
        }
    }

    public long AppendBatched(string line, DateTimeOffset timestamp)
    {
        ArgumentNullException.ThrowIfNull(line);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var ms = timestamp.ToUnixTimeMilliseconds();
            foreach (var text in line.Split('\n'))
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                _pending.Add((bytes, ms));
                _pendingBytes += bytes.Length + 1;
            }

            if (_pendingBytes >= FlushAt)
            {
                Write(complete: false);
            }

            return _count + _pending.Count;
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            if (!_disposed && _pending.Count > 0)
            {
                Write(complete: false);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            try
            {
                Write(complete: true);
            }
            finally
            {
                _disposed = true;
                _released(this);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Writes the waiting lines after the log's last (times never going back), updates its head, and notifies, in one transaction.</summary>
    private void Write(bool complete)
    {
        using var connection = _database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        long count, bytes;
        long? lastMs;
        using (var head = Command(
            connection,
            "INSERT INTO cairn_buildlogs.logs AS l (build) VALUES ($1) ON CONFLICT (build) DO UPDATE SET build = l.build RETURNING line_count, bytes, last_ms",
            _build))
        using (var reader = head.ExecuteReader())
        {
            reader.Read();
            (count, bytes, lastMs) = (reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
        }

        var n = _pending.Count;
        var (indexes, times, ends, messages) = (new long[n], new long[n], new long[n], new byte[n][]);
        long? firstMs = null;
        for (var i = 0; i < n; i++)
        {
            var (text, ms) = _pending[i];
            ms = lastMs is { } last ? Math.Max(ms, last) : ms;
            firstMs ??= count == 0 && i == 0 ? ms : null;
            lastMs = ms;
            bytes += text.Length + 1;
            (indexes[i], times[i], ends[i], messages[i]) = (count + i, ms, bytes, text);
        }

        using var batch = new NpgsqlBatch(connection, transaction);
        if (n > 0)
        {
            var insert = new NpgsqlBatchCommand(
                "INSERT INTO cairn_buildlogs.lines (build, idx, time_ms, end_offset, message) SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::bytea[])");
            insert.Parameters.Add(new NpgsqlParameter { Value = _build });
            insert.Parameters.Add(new NpgsqlParameter { Value = indexes });
            insert.Parameters.Add(new NpgsqlParameter { Value = times });
            insert.Parameters.Add(new NpgsqlParameter { Value = ends });
            insert.Parameters.Add(new NpgsqlParameter { Value = messages, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            batch.BatchCommands.Add(insert);
        }

        var update = new NpgsqlBatchCommand(
            "UPDATE cairn_buildlogs.logs SET line_count = $2, bytes = $3, first_ms = COALESCE(first_ms, $4), last_ms = $5, complete = $6 WHERE build = $1");
        foreach (var value in new object?[] { _build, count + n, bytes, firstMs, lastMs, complete })
        {
            update.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        batch.BatchCommands.Add(update);
        var notify = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
        notify.Parameters.Add(new NpgsqlParameter { Value = PostgresBuildLogStore.Channel });
        notify.Parameters.Add(new NpgsqlParameter { Value = _build.ToString() });
        batch.BatchCommands.Add(notify);
        batch.ExecuteNonQuery();
        transaction.Commit();
        _count = count + n;
        _pending.Clear();
        _pendingBytes = 0;
    }

    private static void Notify(NpgsqlConnection connection, Guid build) =>
        Scalar(connection, "SELECT pg_notify($1, $2)", PostgresBuildLogStore.Channel, build.ToString());

    private static object? Scalar(NpgsqlConnection connection, string sql, params object[] args)
    {
        using var command = Command(connection, sql, args);
        return command.ExecuteScalar() is var value && value is DBNull ? null : value;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] args)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return command;
    }
}
