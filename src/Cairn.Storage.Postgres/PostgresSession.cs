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

    private NpgsqlCommand Command(string sql, object?[] args)
    {
        var command = new NpgsqlCommand(sql, _connection);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg switch
            {
                null => DBNull.Value,
                DateTimeOffset time => time.ToUnixTimeMilliseconds(),
                _ => arg,
            } });
        }

        return command;
    }
}
