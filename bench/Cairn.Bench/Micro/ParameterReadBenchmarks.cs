using BenchmarkDotNet.Attributes;
using Cairn.Core.Parameters;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Audit;
using Cairn.Storage.Sqlite.Parameters;

namespace Cairn.Bench.Micro;

/// <summary>
/// GetParameter's storage read, in-process, one thread: a head from SQLite (cache off) against a head from
/// <see cref="Cairn.Storage.Parameters.ParameterHeadCache"/> (warm), over 1,000 or 100,000 stored parameters read in
/// scattered order. Both include the per-read work the server does: the cached read still reads the store's generation.
/// </summary>
[MemoryDiagnoser]
public class ParameterReadBenchmarks
{
    private const int Reads = 1024;
    private static readonly ParameterScope Scope = new("000000000000", "us-east-1");

    private string _directory = null!;
    private SqliteDatabase _database = null!;
    private SqliteParameterRepository _uncached = null!;
    private SqliteParameterRepository _cached = null!;
    private string[] _keys = null!;

    [Params(1_000, 100_000)]
    public int Parameters { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("cairn-read-bench-").FullName;
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [SqliteParameterRepository.Migrations, SqliteAuditLog.Migrations]);
        _database.WriteAsync(connection =>
        {
            for (var i = 0; i < Parameters; i++)
            {
                var key = Key(i);
                connection.Execute("INSERT INTO ssm_parameters (account, region, key, name, version, tier) VALUES (?, ?, ?, ?, 1, 'Advanced')",
                    Scope.AccountId, Scope.Region, key, "/" + key);
                connection.Execute(
                    "INSERT INTO ssm_parameter_versions (account, region, key, version, type, value, data_type, tier, modified_at, modified_by) VALUES (?, ?, ?, 1, 'String', 'plain-value', 'text', 'Advanced', 0, 'arn:aws:iam::000000000000:root')",
                    Scope.AccountId, Scope.Region, key);
            }
        }, CancellationToken.None).GetAwaiter().GetResult();
        _uncached = new SqliteParameterRepository(_database, headCacheBytes: 0);
        _cached = new SqliteParameterRepository(_database);
        var random = new Random(7);
        _keys = Enumerable.Range(0, Reads).Select(_ => Key(random.Next(Parameters))).ToArray();
        foreach (var key in _keys)
        {
            _ = _cached.GetWithoutLabelsAsync(Scope, key, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Reads)]
    public async Task<long> FromSqlite() => await ReadAllAsync(_uncached);

    [Benchmark(OperationsPerInvoke = Reads)]
    public async Task<long> FromHeadCache() => await ReadAllAsync(_cached);

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<long> ReadAllAsync(SqliteParameterRepository repository)
    {
        var sum = 0L;
        foreach (var key in _keys)
        {
            sum += (await repository.GetWithoutLabelsAsync(Scope, key, CancellationToken.None))!.LatestVersion;
        }

        return sum;
    }

    private static string Key(int i) => $"bench/p/{i % 100:00}/param-{i}";
}
