using Npgsql;

namespace Cairn.Storage.Postgres;

/// <summary>
/// A PostgreSQL database shared by any number of Cairn servers: a pool of connections (<see cref="NpgsqlDataSource"/>),
/// reads on any of them, writes each in one READ COMMITTED transaction that the store serializes where it must (row locks,
/// advisory locks) rather than one writer per process. Opening brings every store's schema up to date.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresDatabase(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Where it connects, without the password (for messages).</summary>
    public string Describe { get; private init; } = string.Empty;

    /// <summary>
    /// Connects and migrates. A connection string that cannot be parsed, a server that cannot be reached or refuses the
    /// login, or a migration that fails throws <see cref="PostgresStorageException"/> naming the server and what to check.
    /// </summary>
    public static Task<PostgresDatabase> OpenAsync(string connectionString, IEnumerable<PostgresMigrationSet> migrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        return OpenAsync(connectionString, async database =>
        {
            await database.MigrateAsync(migrations, cancellationToken).ConfigureAwait(false);
            return null;
        }, cancellationToken);
    }

    /// <summary>
    /// Opens a database a server has already used, for a tool that reads what servers wrote (<c>cairn audit</c>): when no
    /// server has created <paramref name="migrations"/>' module in it, throws <see cref="PostgresStorageException"/> having
    /// created nothing; when the module is behind these steps, brings it alone up to date, as <see cref="OpenAsync(string, IEnumerable{PostgresMigrationSet}, CancellationToken)"/>
    /// would; when it is current, writes nothing (a role that may only read can open it). Fails as that does on a bad
    /// connection string or an unreachable server.
    /// </summary>
    public static Task<PostgresDatabase> OpenExistingAsync(string connectionString, PostgresMigrationSet migrations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        return OpenAsync(connectionString, async database =>
        {
            var applied = await database.ReadAsync(async session =>
                await session.QuerySingleAsync("SELECT to_regclass('cairn.schema_migrations') IS NOT NULL", row => row.GetBoolean(0)).ConfigureAwait(false)
                    ? await session.QuerySingleAsync("SELECT COALESCE(MAX(version), 0) FROM cairn.schema_migrations WHERE module = $1", row => row.GetInt32(0), migrations.Module)
                        .ConfigureAwait(false)
                    : 0, cancellationToken).ConfigureAwait(false);
            if (applied == 0)
            {
                return $"The PostgreSQL database {database.Describe} has no Cairn {migrations.Module} schema: no Cairn server has used it yet "
                    + "(start `cairn serve --database` on it), or the connection string names another database.";
            }

            // Only a schema behind this version is written to: a role that may only read opens one a current server keeps.
            if (applied < migrations.Steps.Count)
            {
                await database.MigrateAsync([migrations], cancellationToken).ConfigureAwait(false);
            }

            return null;
        }, cancellationToken);
    }

    /// <summary>Connects, then runs <paramref name="prepare"/>; a message it returns is thrown as <see cref="PostgresStorageException"/>.</summary>
    private static async Task<PostgresDatabase> OpenAsync(string connectionString, Func<PostgresDatabase, Task<string?>> prepare, CancellationToken cancellationToken)
    {
        NpgsqlDataSource dataSource;
        string describe;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            describe = $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
            dataSource = NpgsqlDataSource.Create(builder);
        }
        catch (ArgumentException e)
        {
            throw new PostgresStorageException(
                $"The PostgreSQL connection string is not valid ({e.Message}). Use Npgsql's form: Host=...;Database=...;Username=...;Password=...", e);
        }

        var database = new PostgresDatabase(dataSource) { Describe = describe };
        string? refusal;
        try
        {
            refusal = await prepare(database).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw new PostgresStorageException($"Could not open the PostgreSQL database {describe}: {e.Message}. "
                + "Check that the server is running and reachable, and the database, user and password are right.", e);
        }

        if (refusal is not null)
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw new PostgresStorageException(refusal);
        }

        return database;
    }

    /// <summary>A pooled connection of the caller's own: for a store that needs PostgreSQL's synchronous calls or a long-lived connection.</summary>
    internal ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken) => _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>A pooled connection opened synchronously, for an interface whose calls are synchronous (a build log writer's appends).</summary>
    internal NpgsqlConnection OpenConnection() => _dataSource.OpenConnection();

    /// <summary>Runs <paramref name="work"/> on a pooled connection, outside any transaction; sees committed state.</summary>
    public async Task<T> ReadAsync<T>(Func<PostgresSession, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await work(new PostgresSession(connection, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction, committed when it returns. An exception rolls the whole
    /// transaction back and is rethrown.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<PostgresSession, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(new PostgresSession(connection, cancellationToken)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    public Task WriteAsync(Func<PostgresSession, Task> work, CancellationToken cancellationToken) =>
        WriteAsync(async session =>
        {
            await work(session).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>
    /// Every module's pending steps in ONE transaction under an advisory lock: servers starting together migrate once, and a
    /// failed step leaves the schema as it was (PostgreSQL's DDL is transactional).
    /// </summary>
    private Task MigrateAsync(IEnumerable<PostgresMigrationSet> migrations, CancellationToken cancellationToken) =>
        WriteAsync(async session =>
        {
            await session.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended('cairn.schema_migrations', 0))").ConfigureAwait(false);
            await session.ExecuteAsync(
                """
                CREATE SCHEMA IF NOT EXISTS cairn;
                CREATE TABLE IF NOT EXISTS cairn.schema_migrations (
                    module text NOT NULL,
                    version integer NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (module, version))
                """).ConfigureAwait(false);
            foreach (var set in migrations)
            {
                var applied = await session.QuerySingleAsync(
                    "SELECT COALESCE(MAX(version), 0) FROM cairn.schema_migrations WHERE module = $1", row => row.GetInt32(0), set.Module).ConfigureAwait(false);
                for (var step = applied; step < set.Steps.Count; step++)
                {
                    await session.ExecuteAsync(set.Steps[step]).ConfigureAwait(false);
                    await session.ExecuteAsync("INSERT INTO cairn.schema_migrations (module, version) VALUES ($1, $2)", set.Module, step + 1).ConfigureAwait(false);
                }
            }
        }, cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
