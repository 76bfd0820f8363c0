using System.Text.Json;
using Cairn.Core.Errors;
using Cairn.Core.Parameters;
using Cairn.Storage.Changes;
using Cairn.Storage.Parameters;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Parameters;

namespace Cairn.Storage.Tests.Parameters;

public sealed class SqliteParameterRepositoryTests : ParameterRepositoryContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-params-").FullName;
    private readonly SqliteDatabase _database;
    private readonly SqliteParameterRepository _repository;

    public SqliteParameterRepositoryTests()
    {
        _database = SqliteDatabase.Open(DatabasePath, [SqliteParameterRepository.Migrations]);
        _repository = new SqliteParameterRepository(_database);
    }

    protected override IParameterRepository Repository => _repository;

    /// <summary>The feed SQLite registers as <c>IChangeFeed&lt;IParameterRepository&gt;</c>, which its head cache keys on.</summary>
    private IChangeFeed<IParameterRepository> Changes => _repository;

    private string DatabasePath => Path.Combine(_directory, "cairn.db");

    [Fact]
    public async Task Every_new_version_moves_the_change_feed_and_reads_and_refused_writes_do_not()
    {
        var before = await Changes.CurrentAsync(default);
        await PutAsync(Input("/feed", "one"));
        var written = await Changes.CurrentAsync(default);
        await Repository.GetWithoutLabelsAsync(East, "feed", default);
        await Repository.ListAsync(East, new ParameterListQuery(string.Empty, null, 10, T0), default);
        await Assert.ThrowsAsync<AwsException>(() => PutAsync(Input("/feed", "two")));

        Assert.True(written > before);
        Assert.Equal(written, await Changes.CurrentAsync(default));
        await PutAsync(Input("/feed", "two", overwrite: true));
        Assert.True(await Changes.CurrentAsync(default) > written);
    }

    [Fact]
    public async Task Tier_counts_follow_creates_upgrades_deletes_and_regions()
    {
        await PutAsync(Input("/count/a", "x"));
        await PutAsync(Input("/count/b", "x"));
        await PutAsync(Input("/count/c", "x", tier: ParameterTiers.Advanced));
        await PutAsync(Input("/count/a", "y", type: null, overwrite: true, tier: ParameterTiers.Advanced));
        await PutAsync(Input("/count/d", "x"), West);
        await _repository.DeleteAsync(East, "count/b", T0, default);

        var counted = _database.Read(c => c.Query(
            "SELECT region, tier, count FROM ssm_tier_counts WHERE count > 0 ORDER BY region, tier", r => $"{r.GetString(0)}/{r.GetString(1)}={r.GetInt64(2)}"));
        var actual = _database.Read(c => c.Query(
            "SELECT region, tier, COUNT(*) FROM ssm_parameters GROUP BY region, tier ORDER BY region, tier", r => $"{r.GetString(0)}/{r.GetString(1)}={r.GetInt64(2)}"));
        Assert.Equal(["us-east-1/Advanced=2", "us-west-2/Standard=1"], counted);
        Assert.Equal(actual, counted);
    }

    [Fact]
    public async Task Acknowledged_writes_are_there_after_reopening_the_file()
    {
        await PutAsync(Input("/durable", "kept"));
        _database.Dispose();

        using var reopened = SqliteDatabase.Open(DatabasePath, [SqliteParameterRepository.Migrations]);
        var snapshot = await new SqliteParameterRepository(reopened).GetAsync(East, "durable", default);

        Assert.Equal("kept", snapshot!.Version.Value);
    }

    [Fact]
    public async Task The_head_a_write_leaves_in_the_cache_is_what_SQLite_holds()
    {
        // Sub-millisecond times (SQLite keeps milliseconds), a description, an expiry and a rollover past 100 versions.
        var now = T0.AddTicks(12_345);
        var policies = ParameterPolicies.Parse("""[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2031-01-01T00:00:00.123Z"}}]""", now);
        await PutAsync(Input("/cached/a", "one", tier: ParameterTiers.Advanced, policies: policies, now: now) with { Description = "first" });
        for (var i = 0; i < 101; i++)
        {
            await PutAsync(Input("/cached/b", $"v{i}", type: i == 0 ? ParameterTypes.String : null, overwrite: true, now: now.AddTicks(i)));
        }

        await PutAsync(Input("/cached/a", "two", type: null, overwrite: true, now: now.AddTicks(7)));
        var fromSqlite = new SqliteParameterRepository(_database, headCacheBytes: 0);
        foreach (var key in (string[])["cached/a", "cached/b"])
        {
            var generation = await _repository.CurrentAsync(default);
            Assert.True(_repository.HeadCache.TryGet(East, key, generation, out var cached), key);
            var stored = await fromSqlite.GetWithoutLabelsAsync(East, key, default);
            Assert.Equal(JsonSerializer.Serialize(stored), JsonSerializer.Serialize(cached));
        }

        Assert.Equal(100, (await fromSqlite.GetHistoryAsync(East, "cached/b", 0, 200, default)).Count);
    }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
