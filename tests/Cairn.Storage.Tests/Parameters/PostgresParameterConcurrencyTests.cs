using System.Globalization;
using Cairn.Core.Errors;
using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Parameters;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Parameters;

/// <summary>
/// Parameter writes on PostgreSQL from two servers (two repositories, two connection pools on one database): overwrites of
/// different parameters in overlapping transactions, gap-free versions of one parameter, exact tier limits under
/// concurrent creates and tier changes, and reads through one server of what the other acknowledged.
/// </summary>
[RequiresPostgres]
public sealed class PostgresParameterConcurrencyTests : IAsyncLifetime
{
    private static readonly ParameterScope East = new("000000000000", "us-east-1");
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private TestDatabase? _testDatabase;
    private PostgresDatabase? _first;
    private PostgresDatabase? _second;
    private PostgresParameterRepository[] _servers = [];

    public async Task InitializeAsync()
    {
        _testDatabase = await PostgresCluster.Shared.CreateDatabaseAsync();
        _first = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [ParameterMigrations.Set], default);
        _second = await PostgresDatabase.OpenAsync(_testDatabase.ConnectionString, [ParameterMigrations.Set], default);
        _servers = [new PostgresParameterRepository(_first), new PostgresParameterRepository(_second)];
    }

    [StoreFact]
    public async Task Overwrites_of_different_parameters_are_inside_their_transactions_at_once()
    {
        const int Writers = 4;
        for (var i = 0; i < Writers; i++)
        {
            await PutAsync(_servers[0], Input($"/parallel/{i}", "v1"));
        }

        // Each writer's decision runs inside its transaction, after its locks, and waits there until every writer has
        // arrived: writes serialized by any lock they share could never all arrive (the first would hold it while waiting).
        using var allInside = new CountdownEvent(Writers);
        var writes = Enumerable.Range(0, Writers).Select(i => Task.Run(() =>
        {
            var input = Input($"/parallel/{i}", "v2", overwrite: true);
            return _servers[i % 2].PutAsync(East, input.Name, input.Now, state =>
            {
                allInside.Signal();
                Assert.True(allInside.Wait(Patience), "the overwrites of different parameters did not run at once");
                return Decide(input, state);
            }, default);
        })).ToList();
        var versions = await Task.WhenAll(writes);

        Assert.All(versions, v => Assert.Equal(2, v.Version));
        for (var i = 0; i < Writers; i++)
        {
            Assert.Equal("v2", (await _servers[(i + 1) % 2].GetAsync(East, $"parallel/{i}", default))!.Version.Value);
        }
    }

    [StoreFact]
    public async Task Concurrent_overwrites_of_one_parameter_on_two_servers_number_its_versions_1_to_N_without_gaps()
    {
        const int Writes = 40;
        await PutAsync(_servers[0], Input("/one", "0"));

        var versions = await Task.WhenAll(Enumerable.Range(1, Writes - 1).Select(i => Task.Run(() =>
            PutAsync(_servers[i % 2], Input("/one", i.ToString(CultureInfo.InvariantCulture), overwrite: true)))));

        Assert.Equal(Enumerable.Range(2, Writes - 1).Select(v => (long)v), versions.Select(v => v.Version).Order());
        var history = await _servers[1].GetHistoryAsync(East, "one", 0, 100, default);
        Assert.Equal(Enumerable.Range(1, Writes).Select(v => (long)v), history.Select(v => v.Version));
        Assert.Equal(Writes, (await _servers[0].GetAsync(East, "one", default))!.LatestVersion);
    }

    [StoreFact]
    public async Task Concurrent_creates_at_the_standard_limit_on_two_servers_never_pass_it()
    {
        // 9,997 Standard parameters as counted (the count is the limit's only input), then 20 creates at once on two servers.
        await SetCountAsync(ParameterTiers.Standard, ParameterTiers.StandardLimit - 3);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            TryPutAsync(_servers[i % 2], Input($"/edge/{i}", "x", tier: ParameterTiers.Standard)))));

        Assert.Equal(3, outcomes.Count(created => created));
        Assert.Equal(ParameterTiers.StandardLimit, await CountAsync(ParameterTiers.Standard));
        Assert.Equal(3, (await _servers[0].ListAsync(East, new ParameterListQuery("edge/", null, 50, T0), default)).Count);
    }

    [StoreFact]
    public async Task Concurrent_creates_and_upgrades_at_the_advanced_limit_on_two_servers_never_pass_it()
    {
        // Ten Standard parameters to upgrade, then the Advanced count set 4 below the limit: 10 creates and 10 upgrades to
        // Advanced race on two servers; only 4 fit. An upgrade is an overwrite that changes its tier: it takes the scope's lock.
        for (var i = 0; i < 10; i++)
        {
            await PutAsync(_servers[0], Input($"/up/{i}", "x"));
        }

        await SetCountAsync(ParameterTiers.Advanced, ParameterTiers.AdvancedLimit - 4);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => TryPutAsync(_servers[i % 2], i % 2 == 0
            ? Input($"/new/{i}", "x", tier: ParameterTiers.Advanced)
            : Input($"/up/{i / 2}", "y", overwrite: true, tier: ParameterTiers.Advanced)))));

        Assert.Equal(4, outcomes.Count(done => done));
        Assert.Equal(ParameterTiers.AdvancedLimit, await CountAsync(ParameterTiers.Advanced));
        Assert.Equal(10 - outcomes.Where((_, i) => i % 2 == 1).Count(done => done), await CountAsync(ParameterTiers.Standard));
    }

    [StoreFact]
    public async Task A_write_acknowledged_by_one_server_is_read_by_the_other_at_once_while_others_commit_around_it()
    {
        // Writers on two servers overwrite their own parameters as fast as they can, so commits finish in every order; after
        // each acknowledgement the OTHER server must read that version or a later one. A change number read from a
        // sequence would fail this: a later number can commit before an earlier one, and a reader that saw it would keep
        // serving the earlier parameter's old value.
        const int Writers = 6;
        const int Rounds = 25;
        for (var w = 0; w < Writers; w++)
        {
            await PutAsync(_servers[0], Input($"/raw/{w}", "0"));
        }

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var round = 1; round <= Rounds; round++)
            {
                var written = await PutAsync(_servers[w % 2], Input($"/raw/{w}", round.ToString(CultureInfo.InvariantCulture), overwrite: true));
                var read = await _servers[(w + 1) % 2].GetWithoutLabelsAsync(East, $"raw/{w}", default);
                Assert.Equal(written.Version, read!.LatestVersion);
                Assert.Equal(written.Value, read.Version.Value);
            }
        })));
    }

    [StoreFact]
    public async Task Deletes_labels_and_overwrites_of_the_same_parameters_on_two_servers_leave_the_counts_exact()
    {
        // Everything that once relied on the scope's lock, at once: overwrites, labels, deletes (one and many), creates.
        for (var i = 0; i < 8; i++)
        {
            await PutAsync(_servers[0], Input($"/mix/{i}", "0"));
        }

        var work = Enumerable.Range(0, 8).SelectMany(i => new Func<Task>[]
        {
            () => PutAsync(_servers[i % 2], Input($"/mix/{i}", "1", overwrite: true)),
            () => _servers[(i + 1) % 2].LabelAsync(East, $"mix/{i}", null, ["live"], T0, default),
            () => i % 4 == 0
                ? _servers[i % 2].DeleteManyAsync(East, [$"mix/{i}", $"mix/{i + 1}"], T0, default)
                : _servers[i % 2].DeleteAsync(East, $"mix/{i}", T0, default),
            () => TryPutAsync(_servers[(i + 1) % 2], Input($"/mix/{i}", "again")),
        });
        await Task.WhenAll(work.Select(w => Task.Run(w)));

        var live = await _servers[0].ListAsync(East, new ParameterListQuery("mix/", null, 50, T0), default);
        Assert.Equal(live.Count, await CountAsync(ParameterTiers.Standard));
        foreach (var listing in live)
        {
            var history = await _servers[1].GetHistoryAsync(East, listing.Parameter.Key, 0, 100, default);
            Assert.Equal(Enumerable.Range(1, history.Count).Select(v => (long)v), history.Select(v => v.Version));
        }
    }

    private static PutParameterInput Input(string name, string value, bool overwrite = false, string? tier = null) => new()
    {
        Name = ParameterName.ParseForWrite(name, East),
        Value = value,
        Type = ParameterTypes.String,
        Overwrite = overwrite,
        Tags = [],
        Tier = tier,
        User = "arn:aws:iam::000000000000:root",
        Now = T0,
    };

    private static ParameterWriteDecision Decide(PutParameterInput input, ParameterWriteState state) =>
        PutParameterPlanner.Decide(input, PutParameterPlanner.Resolve(input, state.Latest), input.Value, state);

    private static Task<ParameterVersion> PutAsync(PostgresParameterRepository server, PutParameterInput input) =>
        server.PutAsync(East, input.Name, input.Now, state => Decide(input, state), default);

    /// <summary>True when stored, false when refused for the tier limit or because another create won the name.</summary>
    private static async Task<bool> TryPutAsync(PostgresParameterRepository server, PutParameterInput input)
    {
        try
        {
            await PutAsync(server, input);
            return true;
        }
        catch (AwsException e) when (e.Code is "ParameterLimitExceeded" or "ParameterAlreadyExists")
        {
            return false;
        }
    }

    private Task SetCountAsync(string tier, long count) =>
        _first!.WriteAsync(session => session.ExecuteAsync(
            """
            INSERT INTO cairn_parameters.tier_counts (account, region, tier, count) VALUES ($1, $2, $3, $4)
            ON CONFLICT (account, region, tier) DO UPDATE SET count = excluded.count
            """,
            East.AccountId, East.Region, tier, count), default);

    private Task<long> CountAsync(string tier) =>
        _first!.ReadAsync(session => session.QuerySingleAsync(
            "SELECT COALESCE((SELECT count FROM cairn_parameters.tier_counts WHERE account = $1 AND region = $2 AND tier = $3), 0)",
            row => row.GetInt64(0), East.AccountId, East.Region, tier), default);

    public async Task DisposeAsync()
    {
        foreach (var database in new[] { _first, _second })
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
