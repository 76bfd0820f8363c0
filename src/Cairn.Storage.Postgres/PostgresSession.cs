using System.Data;
using Npgsql;

namespace Cairn.Storage.Postgres;

/// <summary>
/// One open connection (in a transaction for writes) handed to one caller at a time by <see cref="PostgresDatabase"/>.
/// Parameters bind by position (<c>$1</c>, <c>$2</c>, ...); a DateTimeOffset binds as Unix milliseconds, as the SQLite
/// stores keep times, so both backends round-trip a time alike.
/// </summary>
public sealed class PostgresSession
{
    private readonly NpgsqlConnection _connection;
    private readonly CancellationToken _cancellationToken;

    internal PostgresSession(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        _connection = connection;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The request's token, which every statement of this session is given.</summary>
    public CancellationToken CancellationToken => _cancellationToken;

    public async Task<int> ExecuteAsync(string sql, params object?[] args)
    {
        await using var command = Command(sql, args);
        return await command.ExecuteNonQueryAsync(_cancellationToken).ConfigureAwait(false);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, params object?[] args)
    {
        await using var command = Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(_cancellationToken).ConfigureAwait(false);
        var results = new List<T>();
        while (await reader.ReadAsync(_cancellationToken).ConfigureAwait(false))
        {
            results.Add(map(reader));
        }

        return results;
    }

    /// <summary>The first row mapped, or default when there is none.</summary>
    public async Task<T?> QuerySingleAsync<T>(string sql, Func<NpgsqlDataReader, T> map, params object?[] args)
    {
        await using var command = Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(_cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(_cancellationToken).ConfigureAwait(false) ? map(reader) : default;
    }

    /// <summary>
    /// Runs one query and hands <paramref name="read"/> its reader in sequential access: rows come from the server as they
    /// are read, columns in order and a large value as a stream (GetStream), so a result is never held whole in memory.
    /// </summary>
    public async Task<T> StreamAsync<T>(string sql, Func<NpgsqlDataReader, Task<T>> read, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var command = Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, _cancellationToken).ConfigureAwait(false);
        return await read(reader).ConfigureAwait(false);
    }

    /// <summary>One statement of a batch (<see cref="ExecuteBatchAsync"/>, <see cref="ReadBatchAsync{T}"/>), bound as <see cref="ExecuteAsync"/> binds.</summary>
    public static NpgsqlBatchCommand Statement(string sql, params object?[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        Bind(command.Parameters, args);
        return command;
    }

    /// <summary>
    /// The statements in ONE round trip, run in order (each sees what the ones before it did and, under READ COMMITTED,
    /// what committed before it started); the first that fails stops the rest and throws.
    /// </summary>
    public async Task ExecuteBatchAsync(IReadOnlyList<NpgsqlBatchCommand> statements)
    {
        await using var batch = Batch(statements);
        await batch.ExecuteNonQueryAsync(_cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The statements in ONE round trip; <paramref name="read"/> gets the reader on the first statement's rows (NextResult moves on).</summary>
    public async Task<T> ReadBatchAsync<T>(IReadOnlyList<NpgsqlBatchCommand> statements, Func<NpgsqlDataReader, Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var batch = Batch(statements);
        await using var reader = await batch.ExecuteReaderAsync(_cancellationToken).ConfigureAwait(false);
        var result = await read(reader).ConfigureAwait(false);
        // Runs what the reader did not reach, so a failing later statement still throws here.
        while (await reader.NextResultAsync(_cancellationToken).ConfigureAwait(false))
        {
        }

        return result;
    }

    private NpgsqlBatch Batch(IReadOnlyList<NpgsqlBatchCommand> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var batch = new NpgsqlBatch(_connection);
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(statement);
        }

        return batch;
    }

    private NpgsqlCommand Command(string sql, object?[] args)
    {
        var command = new NpgsqlCommand(sql, _connection);
        Bind(command.Parameters, args);
        return command;
    }

    private static void Bind(NpgsqlParameterCollection parameters, object?[] args)
    {
        foreach (var arg in args)
        {
            parameters.Add(new NpgsqlParameter { Value = arg switch
            {
                null => DBNull.Value,
                DateTimeOffset time => time.ToUnixTimeMilliseconds(),
                _ => arg,
            } });
        }
    }
}
