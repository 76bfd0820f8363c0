using Cairn.Core.Audit;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Audit;
using Cairn.Storage.Tests.Postgres;
using Npgsql;

namespace Cairn.Storage.Tests.Audit;

[RequiresPostgres]
public sealed class PostgresAuditLogTests : AuditLogContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    // Typed as the interface: disposed in DisposeAsync (IAsyncLifetime), which the analyzer does not count as disposal.
    private IAuditLog? _log;

    protected override IAuditLog Log => _log!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresAuditLog.Migrations], default);
        _log = new PostgresAuditLog(_database);
    }

    [StoreFact]
    public async Task Entries_flushed_by_one_server_are_read_by_another_newest_first()
    {
        var now = DateTimeOffset.UtcNow;
        _log!.Append([Entry("arn:aws:iam::000000000000:root", "ssm:GetParameter", "Allow", now.AddMinutes(-2))]);
        _log.Append([Entry("arn:aws:iam::000000000000:user/ci", "ssm:PutParameter", "Deny", now.AddMinutes(-1))]);
        await _log.FlushAsync(CancellationToken.None);

        await using var otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase!.ConnectionString, [PostgresAuditLog.Migrations], default);
        await using var other = new PostgresAuditLog(otherDatabase);
        var entries = await other.QueryAsync(new AuditQuery(), CancellationToken.None);

        Assert.Equal(["ssm:PutParameter", "ssm:GetParameter"], entries.Select(e => e.Action));
        Assert.Equal("AccessDeniedException", entries[0].ErrorCode);
        Assert.Null(entries[1].ErrorCode);
    }

    [StoreFact]
    public async Task OpenExisting_refuses_a_database_no_server_used_having_created_nothing_and_reads_one_a_server_used()
    {
        await using var unused = await PostgresCluster.Shared.CreateDatabaseAsync();
        var refused = await Assert.ThrowsAsync<PostgresStorageException>(() =>
            PostgresDatabase.OpenExistingAsync(unused.ConnectionString, PostgresAuditLog.Migrations, default));
        Assert.Contains($"/{unused.Name} as cairn has no Cairn audit schema", refused.Message, StringComparison.Ordinal);
        await using (var connection = new NpgsqlConnection(unused.ConnectionString))
        {
            await connection.OpenAsync();
            await using var schemas = new NpgsqlCommand("SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'cairn%'", connection);
            Assert.Equal(0L, await schemas.ExecuteScalarAsync());
        }

        _log!.Append([Entry("arn:aws:iam::000000000000:root", "ssm:GetParameter", "Allow", DateTimeOffset.UtcNow)]);
        await _log.FlushAsync(CancellationToken.None);
        await using var used = await PostgresDatabase.OpenExistingAsync(_testDatabase!.ConnectionString, PostgresAuditLog.Migrations, default);
        await using var reader = new PostgresAuditLog(used);
        Assert.Equal("ssm:GetParameter", Assert.Single(await reader.QueryAsync(new AuditQuery(), CancellationToken.None)).Action);
    }

    [StoreFact]
    public async Task OpenExisting_reads_as_a_role_that_may_only_read_when_the_audit_schema_is_current()
    {
        var role = "cairn_auditor_" + Guid.NewGuid().ToString("N")[..12];
        var database = await PostgresCluster.Shared.CreateDatabaseAsync();
        try
        {
            await using (var server = await PostgresDatabase.OpenAsync(database.ConnectionString, [PostgresAuditLog.Migrations], default))
            await using (var log = new PostgresAuditLog(server))
            {
                log.Append([Entry("arn:aws:iam::000000000000:root", "kms:Decrypt", "Allow", DateTimeOffset.UtcNow)]);
                await log.FlushAsync(CancellationToken.None);
            }

            await PostgresCluster.Shared.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD 'read-only-3f9a'");
            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.OpenAsync();
                await using var grant = new NpgsqlCommand(
                    $"GRANT USAGE ON SCHEMA cairn, cairn_audit TO {role}; GRANT SELECT ON ALL TABLES IN SCHEMA cairn, cairn_audit TO {role}", connection);
                await grant.ExecuteNonQueryAsync();
            }

            var readOnly = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = "read-only-3f9a" }.ConnectionString;
            await using var opened = await PostgresDatabase.OpenExistingAsync(readOnly, PostgresAuditLog.Migrations, default);
            await using var reader = new PostgresAuditLog(opened);
            Assert.Equal("kms:Decrypt", Assert.Single(await reader.QueryAsync(new AuditQuery(), CancellationToken.None)).Action);
        }
        finally
        {
            await database.DisposeAsync();
            await PostgresCluster.Shared.ExecuteAsync($"DROP ROLE IF EXISTS {role}");
        }
    }

    public async Task DisposeAsync()
    {
        if (_log is IAsyncDisposable log)
        {
            await log.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_testDatabase is not null)
        {
            await _testDatabase.DisposeAsync();
        }
    }
}
