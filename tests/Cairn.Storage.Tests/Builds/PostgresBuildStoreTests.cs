using Cairn.Core.Builds;
using Cairn.Storage.Builds;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Builds;
using Cairn.Storage.Tests.Postgres;
using Npgsql;

namespace Cairn.Storage.Tests.Builds;

[RequiresPostgres]
public sealed class PostgresBuildStoreTests : BuildStoreContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresBuildStore? _store;

    protected override IBuildStore Store => _store!;

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [BuildMigrations.Set], default);
        _store = new PostgresBuildStore(_database);
    }

    [StoreFact]
    public async Task Two_servers_claiming_at_once_take_each_queued_build_exactly_once()
    {
        await using var otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase!.ConnectionString, [BuildMigrations.Set], default);
        var other = new PostgresBuildStore(otherDatabase);
        var queued = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            queued.Add((await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None)).Build.Uuid);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : other).ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), $"host/{i}/0", Now, CancellationToken.None))));

        var claimed = claims.Where(c => c is not null).Select(c => c!.Uuid).ToList();
        Assert.Equal(queued.Order(StringComparer.Ordinal), claimed.Order(StringComparer.Ordinal));
        Assert.Equal(8, (await other.ListRunningAsync(CancellationToken.None)).Count);
    }

    [StoreFact]
    public async Task A_claim_skips_a_build_another_transaction_holds_instead_of_waiting_for_it()
    {
        var held = (await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None)).Build;
        var next = (await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None)).Build;

        // Another server's transaction (a claim or a StopBuild) holds the oldest queued build's row.
        await using var connection = new NpgsqlConnection(_testDatabase!.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("SELECT 1 FROM cairn_builds.builds WHERE uuid = $1 FOR UPDATE", connection, transaction) { Parameters = { new NpgsqlParameter { Value = held.Uuid } } })
        {
            await lockRow.ExecuteScalarAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var claimed = await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "host/1/0", Now, timeout.Token);
        Assert.Equal(next.Uuid, claimed!.Uuid);
        await transaction.RollbackAsync();
        Assert.Equal(held.Uuid, (await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "host/2/0", Now, CancellationToken.None))!.Uuid);
    }

    [StoreFact]
    public async Task Two_servers_claiming_at_once_keep_a_projects_concurrent_build_limit()
    {
        await using var otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase!.ConnectionString, [BuildMigrations.Set], default);
        var other = new PostgresBuildStore(otherDatabase);
        for (var i = 0; i < 6; i++)
        {
            await Store.AddBuildAsync(NewBuild(limit: 2), Now, CancellationToken.None);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : other).ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), $"host/{i}/0", Now, CancellationToken.None))));

        Assert.Equal(2, claims.Count(c => c is not null));
        Assert.Equal(2, (await other.ListRunningAsync(CancellationToken.None)).Count);
    }

    public async Task DisposeAsync()
    {
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
