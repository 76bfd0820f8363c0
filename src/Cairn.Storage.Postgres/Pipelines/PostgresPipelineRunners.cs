using Cairn.Storage.Pipelines;
using Npgsql;

namespace Cairn.Storage.Postgres.Pipelines;

/// <summary>
/// Pipeline runners' heartbeats in PostgreSQL (table <c>cairn_pipeline_runners.runners</c>), and each pipeline's gate as a
/// session advisory lock on a connection of its own, held until released: every server on the database waits for it.
/// </summary>
public sealed class PostgresPipelineRunners(PostgresDatabase database) : IPipelineRunners
{
    /// <summary>The "pipeline-runners" schema steps. Append only.</summary>
    public static PostgresMigrationSet Migrations { get; } = new("pipeline-runners",
    [
        """
        CREATE SCHEMA cairn_pipeline_runners;
        CREATE TABLE cairn_pipeline_runners.runners (runner text COLLATE "C" PRIMARY KEY, seen_at bigint NOT NULL);
        """,
    ]);

    public Task HeartbeatAsync(string runner, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(session => session.ExecuteAsync(
            """
            INSERT INTO cairn_pipeline_runners.runners (runner, seen_at) VALUES ($1, $2)
            ON CONFLICT (runner) DO UPDATE SET seen_at = GREATEST(cairn_pipeline_runners.runners.seen_at, excluded.seen_at)
            """,
            runner, now.ToUnixTimeMilliseconds()), cancellationToken);

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> ListAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(session => session.QueryAsync(
            "SELECT runner, seen_at FROM cairn_pipeline_runners.runners",
            row => (Runner: row.GetString(0), SeenAt: DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)))), cancellationToken).ConfigureAwait(false))
        .ToDictionary(r => r.Runner, r => r.SeenAt, StringComparer.Ordinal);

    public Task ForgetAsync(string runner, CancellationToken cancellationToken) =>
        database.WriteAsync(session => session.ExecuteAsync("DELETE FROM cairn_pipeline_runners.runners WHERE runner = $1", runner), cancellationToken);

    public async Task<IAsyncDisposable> LockPipelineAsync(string accountId, string region, string pipelineName, CancellationToken cancellationToken)
    {
        var key = $"cairn.pipeline/{accountId}/{region}/{pipelineName}";
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended($1, 0))", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new Held(connection, key);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The lock and its connection: released, then the connection goes back to the pool (a broken one takes the lock with it).</summary>
    private sealed class Held(NpgsqlConnection connection, string key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended($1, 0))", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = key });
                await command.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection is gone: PostgreSQL released the session's locks with it.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
