using Cairn.Storage.Pipelines;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Pipelines;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Pipelines;

[RequiresPostgres]
public sealed class PostgresPipelineRunnersTests : PipelineRunnersContractTests, IAsyncLifetime
{
    private TestDatabase? _testDatabase;
    private PostgresDatabase? _database;
    private PostgresDatabase? _otherDatabase;

    protected override IPipelineRunners Runners => new PostgresPipelineRunners(_database!);

    protected override IPipelineRunners OtherServer => new PostgresPipelineRunners(_otherDatabase!);

    /// <summary>Two servers on one database: the second waits for the first's lock on a pipeline, and gets it once released.</summary>
    [StoreFact]
    public async Task A_pipelines_lock_held_by_one_server_makes_the_other_wait_until_it_is_released()
    {
        var held = await Runners.LockPipelineAsync("000000000000", "us-east-1", "app", CancellationToken.None);
        var waiting = OtherServer.LockPipelineAsync("000000000000", "us-east-1", "app", CancellationToken.None);
        await using (await OtherServer.LockPipelineAsync("000000000000", "us-west-2", "app", CancellationToken.None))
        {
            // Another region's pipeline of the same name is another gate.
        }

        await Task.Delay(500);
        Assert.False(waiting.IsCompleted, "the second server got a pipeline's lock the first holds");

        await held.DisposeAsync();
        await using var taken = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _database = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresPipelineRunners.Migrations], default);
        _otherDatabase = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [PostgresPipelineRunners.Migrations], default);
    }

    public async Task DisposeAsync()
    {
        foreach (var database in new[] { _otherDatabase, _database })
        {
            if (database is not null)
            {
                await database.DisposeAsync();
            }
        }

        if (_testDatabase is not null)
        {
            await _testDatabase.DisposeAsync();
        }
    }
}
