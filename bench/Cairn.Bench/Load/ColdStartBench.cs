using System.Diagnostics;
using System.Globalization;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Bench.Load;

/// <summary>
/// `coldstart`: how soon a fresh `cairn serve` answers at full speed (issue 17 item 4). Per round and per binary
/// (alternating, so both see the same machine): start the server, time until /_cairn/ping answers, store one parameter,
/// then GetParameter it at N connections for the duration, counting answers and the server's CPU per bucket (250 ms).
/// Prints per binary the medians over the rounds: time to ready, req/s and server CPU µs per request in each bucket, and
/// the first bucket from which every bucket reaches 90% of the last second's rate.
/// <code>coldstart --cairn new/cairn.dll [--against old/cairn.dll] [--rounds 5] [--concurrency 16] [--duration 4s] [--bucket 250ms]</code>
/// </summary>
internal static class ColdStartBench
{
    private const string Name = "/bench/coldstart";

    public static async Task<int> RunAsync(string[] args)
    {
        var binaries = new List<(string Label, string Path)>();
        var rounds = 5;
        var concurrency = 16;
        var duration = TimeSpan.FromSeconds(4);
        var bucket = TimeSpan.FromMilliseconds(250);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--cairn": binaries.Insert(0, ("cairn", Next())); break;
                case "--against": binaries.Add(("against", Next())); break;
                case "--rounds": rounds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--duration": duration = LoadOptions.ParseDuration(Next()); break;
                case "--bucket": bucket = LoadOptions.ParseDuration(Next()); break;
                default:
                    await Console.Error.WriteLineAsync($"coldstart: unknown option {args[i]}. Options: --cairn <cairn.dll> --against <cairn.dll> --rounds 5 --concurrency 16 --duration 4s --bucket 250ms");
                    return 2;
            }
        }

        if (binaries.Count == 0)
        {
            binaries.Add(("cairn", BenchServer.FindCairnDll()));
        }

        var buckets = (int)Math.Ceiling(duration / bucket);
        var runs = binaries.ToDictionary(b => b.Label, _ => new List<ColdRun>());
        Console.WriteLine($"# coldstart: {rounds} rounds, GetParameter at {concurrency} connections for {duration.TotalSeconds:0.###} s from the first answer, {bucket.TotalMilliseconds:0} ms buckets; load average {LoadAverage()}");
        for (var round = 0; round < rounds; round++)
        {
            // Alternate which binary goes first, so neither always meets a machine the other just warmed or loaded.
            var order = round % 2 == 0 ? binaries : [.. Enumerable.Reverse(binaries)];
            foreach (var (label, path) in order)
            {
                runs[label].Add(await MeasureAsync(path, concurrency, duration, bucket, buckets));
            }
        }

        foreach (var (label, path) in binaries)
        {
            var measured = runs[label];
            Console.WriteLine();
            Console.WriteLine($"## {label}: {path}");
            Console.WriteLine($"start to first answer of /_cairn/ping: median {Median(measured.Select(r => r.ReadyMs)):F0} ms (runs: {string.Join(", ", measured.Select(r => r.ReadyMs.ToString("F0", CultureInfo.InvariantCulture)))})");
            Console.WriteLine($"server CPU to that point: median {Median(measured.Select(r => r.ReadyCpuMs)):F0} ms");
            Console.WriteLine();
            Console.WriteLine("| from (ms) | req/s (median) | server CPU µs/request (median) |");
            Console.WriteLine("|---:|---:|---:|");
            var rates = new double[buckets];
            for (var b = 0; b < buckets; b++)
            {
                rates[b] = Median(measured.Select(r => r.Requests[b] / bucket.TotalSeconds));
                var cpu = Median(measured.Select(r => r.Requests[b] == 0 ? double.NaN : r.CpuMs[b] * 1000 / r.Requests[b]).Where(v => !double.IsNaN(v)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {b * bucket.TotalMilliseconds:0} | {rates[b]:0} | {cpu:0} |"));
            }

            var lastSecond = Math.Max(1, (int)Math.Round(TimeSpan.FromSeconds(1) / bucket));
            var full = rates.TakeLast(lastSecond).Average();
            var from = Enumerable.Range(0, buckets).FirstOrDefault(b => rates.Skip(b).All(r => r >= 0.9 * full), buckets);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"full speed (last second): {full:0} req/s; every bucket from {from * bucket.TotalMilliseconds:0} ms on is at >= 90% of it; errors: {measured.Sum(r => r.Errors)}"));
        }

        return 0;
    }

    private static async Task<ColdRun> MeasureAsync(string path, int concurrency, TimeSpan duration, TimeSpan bucket, int buckets)
    {
        var started = Stopwatch.GetTimestamp();
        await using var server = await BenchServer.StartAsync(new LoadOptions { CairnPath = path }, CancellationToken.None);
        var readyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var readyCpu = server.CpuTime() ?? TimeSpan.Zero;
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false, UseCookies = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var runner = new LoadRunner(http, new SigV4Signer(server.AccessKeyId, server.SecretAccessKey, "us-east-1", "ssm"), server.Endpoint);
        var put = new LoadScenario("put", "AmazonSSM.PutParameter", _ => ParameterSet.Put(Name, "cold", "String"));
        var (status, body) = await runner.SendOnceAsync(put, 0, CancellationToken.None);
        if (status != 200)
        {
            throw new InvalidOperationException($"PutParameter answered {status}: {body}");
        }

        var get = new LoadScenario("GetParameter", "AmazonSSM.GetParameter", _ => ParameterSet.Get(Name, withDecryption: false));
        var requests = new long[buckets];
        var cpuMs = new double[buckets];
        var errors = 0L;
        var clock = Stopwatch.GetTimestamp();
        var end = clock + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        // A sampler reads the server's CPU at each bucket's end; workers count answers in the bucket they arrived in.
        var sampler = Task.Run(async () =>
        {
            var before = server.CpuTime() ?? TimeSpan.Zero;
            for (var b = 0; b < buckets; b++)
            {
                var until = clock + (long)((b + 1) * bucket.TotalSeconds * Stopwatch.Frequency);
                var wait = (until - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (wait > 0)
                {
                    await Task.Delay((int)wait);
                }

                var now = server.CpuTime() ?? TimeSpan.Zero;
                cpuMs[b] = (now - before).TotalMilliseconds;
                before = now;
            }
        });
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            await Task.Yield();
            for (long n = worker; Stopwatch.GetTimestamp() < end; n += concurrency)
            {
                var (code, _) = await runner.SendOnceAsync(get, n, CancellationToken.None);
                var at = (int)((Stopwatch.GetTimestamp() - clock) / (bucket.TotalSeconds * Stopwatch.Frequency));
                if (at < buckets)
                {
                    Interlocked.Increment(ref requests[at]);
                }

                if (code != 200)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        await sampler;
        return new ColdRun(readyMs, readyCpu.TotalMilliseconds, requests, cpuMs, errors);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private sealed record ColdRun(double ReadyMs, double ReadyCpuMs, long[] Requests, double[] CpuMs, long Errors);
}
