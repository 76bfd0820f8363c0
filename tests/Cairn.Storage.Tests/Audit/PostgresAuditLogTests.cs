using Cairn.Core.Audit;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Audit;
using Cairn.Storage.Tests.Postgres;

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
