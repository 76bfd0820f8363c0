using System.Diagnostics;
using System.Globalization;
using Cairn.Application.Parameters;
using Cairn.Core.Audit;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Audit;
using Cairn.Storage.Sqlite.Parameters;

namespace Cairn.Bench.Parameters;

/// <summary>
/// `writes [--params 1000] [--concurrency 1,16,64] [--writes 20000] [--rounds 3] [--audit]`: what the store itself
/// sustains for PutParameter (String, Overwrite), without HTTP, SigV4 or JSON: N tasks call
/// <see cref="ParameterService.PutParameterAsync"/> in-process on one SQLite database (all of Cairn's migrations, the
/// write path and group commit as `cairn serve` runs them, synchronous=FULL), each overwriting a random one of the
/// parameters. With --audit each write also appends an audit entry, which the audit log batches into the same writer as
/// the server does. Prints writes/s, the process's CPU per write, writes per commit and the p50/p99 of a write.
/// </summary>
internal static class ParameterWriteBench
{
    private static readonly ParameterListBench.RootOnly Root = ParameterListBench.RootOnly.Instance;

    private static readonly ParameterScope Scope = new("000000000000", "us-east-1");

    public static async Task<int> RunAsync(string[] args)
    {
        var parameters = int.Parse(ParameterListBench.Value(args, "--params", "1000"), CultureInfo.InvariantCulture);
        var concurrencies = ParameterListBench.Value(args, "--concurrency", "1,16,64").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var writes = int.Parse(ParameterListBench.Value(args, "--writes", "20000"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(ParameterListBench.Value(args, "--rounds", "3"), CultureInfo.InvariantCulture);
        var audit = args.Contains("--audit");

        var directory = Directory.CreateTempSubdirectory("cairn-bench-writes-").FullName;
        try
        {
            using var database = SqliteDatabase.Open(Path.Combine(directory, "cairn.db"), SqliteStorage.Migrations);
            await using var auditLog = new SqliteAuditLog(database);
            var service = new ParameterService(new SqliteParameterRepository(database), new ParameterCrypto(null!, Root) /* String only */,
                Root, TimeProvider.System);
            var context = new RequestContext(Principal.Root(Scope.AccountId), Scope.Region, "bench", "127.0.0.1", DateTimeOffset.UtcNow);
            var names = Enumerable.Range(0, parameters).Select(i => $"/bench/writes/p{i:D5}").ToArray();
            foreach (var name in names)
            {
                await service.PutParameterAsync(context, new PutParameterRequest(name, "seed") { Type = ParameterTypes.String }, CancellationToken.None);
            }

            Console.WriteLine($"| concurrency | writes/s | CPU µs/write | writes/commit | p50 ms | p99 ms |{(audit ? " (each with an audit entry)" : "")}");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var concurrency in concurrencies)
            {
                for (var round = 0; round < rounds; round++)
                {
                    var latencies = new double[writes];
                    var next = -1;
                    var process = Process.GetCurrentProcess();
                    var cpuBefore = process.TotalProcessorTime;
                    var commitsBefore = database.Commits;
                    var started = Stopwatch.GetTimestamp();
                    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
                    {
                        int i;
                        while ((i = Interlocked.Increment(ref next)) < writes)
                        {
                            var at = Stopwatch.GetTimestamp();
                            var name = names[Random.Shared.Next(names.Length)];
                            await service.PutParameterAsync(context,
                                new PutParameterRequest(name, $"value {i}") { Type = ParameterTypes.String, Overwrite = true }, CancellationToken.None);
                            if (audit)
                            {
                                auditLog.Append([new AuditEntry(DateTimeOffset.UtcNow, Guid.NewGuid().ToString(), context.Principal.Arn, null,
                                    Scope.Region, "ssm:PutParameter", "ssm:PutParameter", Scope.ArnFor(name[1..]), "Allow", null, "127.0.0.1")]);
                            }

                            latencies[i] = Stopwatch.GetElapsedTime(at).TotalMilliseconds;
                        }
                    })));
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
                    process.Refresh();
                    var cpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / writes;
                    Array.Sort(latencies);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {concurrency} | {writes / elapsed:F0} | {cpu:F0} | {(double)writes / Math.Max(1, database.Commits - commitsBefore):F1} | {latencies[writes / 2]:F2} | {latencies[(int)(writes * 0.99)]:F2} |"));
                }
            }

            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
