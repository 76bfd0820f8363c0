using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Parameters;

namespace Cairn.Storage.Tests.Parameters;

/// <summary>
/// The cache of parameter heads behind GetParameter: it must never return a head older than the last committed write,
/// whoever made it. "Other process" here is a second database handle and repository on the same file, which is exactly
/// what a second `cairn` process sharing the data directory is to SQLite.
/// </summary>
public sealed class ParameterHeadCacheTests : IDisposable
{
    private static readonly ParameterScope East = new("000000000000", "us-east-1");
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-heads-").FullName;
    private readonly List<SqliteDatabase> _databases = [];

    private SqliteParameterRepository Open(long cacheBytes = ParameterHeadCache.DefaultBudgetBytes)
    {
        var database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [SqliteParameterRepository.Migrations]);
        _databases.Add(database);
        return new SqliteParameterRepository(database, cacheBytes);
    }

    private static Task<ParameterVersion> PutAsync(SqliteParameterRepository repository, string name, string value)
    {
        var input = new PutParameterInput
        {
            Name = ParameterName.ParseForWrite(name, East),
            Value = value,
            Type = ParameterTypes.String,
            Overwrite = true,
            Tags = [],
            User = "arn:aws:iam::000000000000:root",
            Now = T0,
        };
        return repository.PutAsync(East, input.Name, T0, state =>
        {
            var plan = PutParameterPlanner.Resolve(input, state.Latest);
            return PutParameterPlanner.Decide(input, plan, input.Value, state);
        }, CancellationToken.None);
    }

    private static async Task<string?> ValueAsync(SqliteParameterRepository repository, string key) =>
        (await repository.GetWithoutLabelsAsync(East, key, default))?.Version.Value;

    [Fact]
    public async Task Own_writes_are_cached_as_written_and_reads_hit_the_cache()
    {
        var repository = Open();
        await PutAsync(repository, "/app/a", "one");
        await PutAsync(repository, "/app/b", "two");
        await PutAsync(repository, "/app/a", "three");

        Assert.Equal(2, repository.HeadCache.Count);
        Assert.Equal("three", await ValueAsync(repository, "app/a"));
        Assert.Equal("two", await ValueAsync(repository, "app/b"));
        Assert.Equal(2, repository.HeadCache.Count);
    }

    [Fact]
    public async Task Writes_by_another_process_are_seen_by_the_next_read()
    {
        var server = Open();
        var other = Open();
        await PutAsync(server, "/app/a", "one");
        Assert.Equal("one", await ValueAsync(server, "app/a"));
        Assert.Null(await ValueAsync(server, "app/missing"));

        await PutAsync(other, "/app/a", "two");
        await PutAsync(other, "/app/missing", "now-here");
        Assert.Equal("two", await ValueAsync(server, "app/a"));
        Assert.Equal("now-here", await ValueAsync(server, "app/missing"));

        await other.DeleteAsync(East, "app/a", T0, default);
        Assert.Null(await ValueAsync(server, "app/a"));
    }

    [Fact]
    public async Task A_change_made_outside_the_repository_is_seen_too()
    {
        var server = Open();
        await PutAsync(server, "/app/a", "one");
        Assert.Equal("one", await ValueAsync(server, "app/a"));

        // Any write to the tables is numbered by trigger, even one no repository made.
        await _databases[0].WriteAsync(c => c.Execute(
            "UPDATE ssm_parameter_versions SET value = 'patched' WHERE key = 'app/a'"), default);
        Assert.Equal("patched", await ValueAsync(server, "app/a"));
    }

    [Fact]
    public async Task More_changes_than_the_store_keeps_empty_what_can_no_longer_be_checked()
    {
        var server = Open();
        var other = Open();
        await PutAsync(server, "/app/a", "one");
        await PutAsync(server, "/app/b", "one");
        Assert.Equal("one", await ValueAsync(server, "app/a"));

        // 10,000 to 10,999 changes are kept (trimmed every 1,000); 12,000 later changes push /app/a's out of the window.
        await _databases[1].WriteAsync(c =>
        {
            for (var i = 0; i < 6_000; i++)
            {
                c.Execute("UPDATE ssm_parameters SET tier = tier WHERE key = 'app/b'");
                c.Execute("UPDATE ssm_parameter_versions SET tier = tier WHERE key = 'app/b'");
            }

            c.Execute("UPDATE ssm_parameter_versions SET value = 'changed long ago' WHERE key = 'app/a'");
            for (var i = 0; i < 6_000; i++)
            {
                c.Execute("UPDATE ssm_parameters SET tier = tier WHERE key = 'app/b'");
                c.Execute("UPDATE ssm_parameter_versions SET tier = tier WHERE key = 'app/b'");
            }
        }, default);

        Assert.Equal("changed long ago", await ValueAsync(server, "app/a"));
        Assert.InRange(_databases[1].Read(c => c.QuerySingle("SELECT COUNT(*) FROM ssm_changes", r => r.GetInt64(0))), 10_000, 10_999);
    }

    [Fact]
    public async Task A_tiny_budget_keeps_the_cache_small_and_reads_right()
    {
        var server = Open(cacheBytes: 4_000);
        for (var i = 0; i < 50; i++)
        {
            await PutAsync(server, $"/many/p{i}", $"v{i}");
        }

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal($"v{i}", await ValueAsync(server, $"many/p{i}"));
        }

        Assert.InRange(server.HeadCache.Count, 1, 10);
    }

    [Fact]
    public async Task Turned_off_it_caches_nothing()
    {
        var server = Open(cacheBytes: 0);
        await PutAsync(server, "/app/a", "one");
        Assert.Equal("one", await ValueAsync(server, "app/a"));
        Assert.Equal(0, server.HeadCache.Count);
    }

    [Fact]
    public async Task Readers_racing_with_another_process_never_see_a_head_older_than_the_last_acknowledged_write()
    {
        var server = Open();
        var other = Open();
        string[] keys = ["race/a", "race/b", "race/c"];
        foreach (var key in keys)
        {
            await PutAsync(server, "/" + key, "0");
        }

        // Latest acknowledged version per key; readers must never see less.
        var acknowledged = new long[keys.Length];
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            var random = new Random(r);
            while (!stop.IsCancellationRequested)
            {
                var k = random.Next(keys.Length);
                var floor = Volatile.Read(ref acknowledged[k]);
                var seen = (await server.GetWithoutLabelsAsync(East, keys[k], default))!.LatestVersion;
                if (seen < floor)
                {
                    lock (failures)
                    {
                        failures.Add($"{keys[k]}: saw version {seen} after version {floor} was acknowledged");
                    }
                }
            }
        })).ToList();

        var writer = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            var k = writer.Next(keys.Length);
            // Both processes write; the server's own writes also move its cache on.
            var version = await PutAsync(i % 3 == 0 ? server : other, "/" + keys[k], $"w{i}");
            Volatile.Write(ref acknowledged[k], version.Version);
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Empty(failures);
        foreach (var (key, k) in keys.Select((key, k) => (key, k)))
        {
            Assert.Equal(acknowledged[k], (await server.GetWithoutLabelsAsync(East, key, default))!.LatestVersion);
        }
    }

    [Fact]
    public void A_head_read_before_a_change_the_cache_has_applied_is_refused()
    {
        var cache = new ParameterHeadCache(1_000_000);
        cache.CatchUp(5, _ => []);
        cache.Add(East, "k", 5, Head("k", 1));
        Assert.True(cache.TryGet(East, "k", 5, out var hit));
        Assert.Equal(1, hit!.LatestVersion);

        cache.CatchUp(7, after => [new ParameterChange(6, East, "k"), new ParameterChange(7, East, "other")]);
        Assert.False(cache.TryGet(East, "k", 7, out _));

        // A reader that read generation 5 and then the head, slower than the catch-up: what it read may predate change 6.
        cache.Add(East, "k", 5, Head("k", 1));
        Assert.False(cache.TryGet(East, "k", 7, out _));
        cache.Add(East, "k", 7, Head("k", 2));
        Assert.True(cache.TryGet(East, "k", 7, out hit));
        Assert.Equal(2, hit!.LatestVersion);
        Assert.False(cache.TryGet(East, "k", 8, out _));
    }

    [Fact]
    public void An_own_write_moves_the_cache_on_only_from_where_it_began()
    {
        var cache = new ParameterHeadCache(1_000_000);
        cache.CatchUp(10, _ => []);
        cache.Add(East, "k", 10, Head("k", 1));

        cache.Wrote(East, "k", before: 10, after: 12, Head("k", 2));
        Assert.Equal(12, cache.SyncedGeneration);
        Assert.True(cache.TryGet(East, "k", 12, out var hit));
        Assert.Equal(2, hit!.LatestVersion);

        // Another process wrote 13-14 first: this write (15-16) cannot vouch for them, so the cache stays at 12.
        cache.Add(East, "j", 12, Head("j", 1));
        cache.Wrote(East, "k", before: 14, after: 16, Head("k", 3));
        Assert.Equal(12, cache.SyncedGeneration);
        cache.CatchUp(16, after => [new ParameterChange(13, East, "j"), new ParameterChange(14, East, "j"),
            new ParameterChange(15, East, "k"), new ParameterChange(16, East, "k")]);
        Assert.False(cache.TryGet(East, "j", 16, out _));
        Assert.True(cache.TryGet(East, "k", 16, out hit));
        Assert.Equal(3, hit!.LatestVersion);
    }

    [Fact]
    public void Entries_older_than_the_first_kept_change_are_dropped()
    {
        var cache = new ParameterHeadCache(1_000_000);
        cache.CatchUp(10, _ => []);
        cache.Add(East, "old", 10, Head("old", 1));
        cache.Add(East, "checkable", 20, Head("checkable", 1));

        // Changes 11-20 are gone from the store; 21-22 (to other keys) are kept.
        cache.CatchUp(22, after => [new ParameterChange(21, East, "x"), new ParameterChange(22, East, "y")]);
        Assert.False(cache.TryGet(East, "old", 22, out _));
        Assert.True(cache.TryGet(East, "checkable", 22, out _));
    }

    private static ParameterSnapshot Head(string key, long version) => new(key, key, version, null, new ParameterVersion
    {
        Version = version,
        Type = ParameterTypes.String,
        Value = $"v{version}",
        DataType = "text",
        Tier = ParameterTiers.Standard,
        LastModifiedDate = T0,
        LastModifiedUser = "arn:aws:iam::000000000000:root",
    });

    public void Dispose()
    {
        foreach (var database in _databases)
        {
            database.Dispose();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
