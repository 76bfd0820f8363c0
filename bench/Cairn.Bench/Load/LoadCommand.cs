using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Bench.Load;

/// <summary>
/// `load`: starts a server, stores the parameters, then measures each scenario at each concurrency for a fixed short
/// time and prints a markdown table, the targets, and the server's peak memory.
/// </summary>
internal static class LoadCommand
{
    private const int SeedConcurrency = 32;

    public static async Task<int> RunAsync(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (Exception error) when (error is ArgumentException or FormatException or OverflowException)
        {
            await Console.Error.WriteLineAsync("load: " + error.Message);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        await using var server = await BenchServer.StartAsync(options, cancel.Token);
        var maxConcurrency = Math.Max(options.Concurrency.Max(), SeedConcurrency);
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConcurrency,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            UseCookies = false,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var signer = new SigV4Signer(server.AccessKeyId, server.SecretAccessKey, "us-east-1", "ssm");
        var runner = new LoadRunner(http, signer, server.Endpoint);

        WriteHeader(options, server);
        var ssm = await SeedAsync(runner, options.Parameters, cancel.Token);
        var afterSeed = server.CurrentRssBytes();
        var user = ssm is null ? null : await IamBenchUser.CreateAsync(http, server, cancel.Token);
        await SettleAsync(server, cancel.Token);

        var scenarios = new List<LoadScenario>
        {
            new("ceiling: GET /_cairn/ping (unauthenticated static 200)", null, null),
            new(SameRequestCeiling, "AmazonSSM.GetParameter",
                n => ParameterSet.Get(ParameterSet.StringName(ParameterSet.Scatter(n, Math.Max(1, options.Parameters))), withDecryption: false), ToPing: true),
            new("GetParameter (String)", "AmazonSSM.GetParameter",
                n => ParameterSet.Get(ParameterSet.StringName(ParameterSet.Scatter(n, Math.Max(1, options.Parameters))), withDecryption: false)),
            new(NonRootScenario, "AmazonSSM.GetParameter",
                n => ParameterSet.Get(ParameterSet.StringName(ParameterSet.Scatter(n, Math.Max(1, options.Parameters))), withDecryption: false), Signer: user),
            new("GetParameter (SecureString, WithDecryption)", "AmazonSSM.GetParameter",
                n => ParameterSet.Get(ParameterSet.SecureName(ParameterSet.Scatter(n, ParameterSet.SecureCount)), withDecryption: true)),
            new($"GetParametersByPath ({ParameterSet.PathPrefix}, {ParameterSet.PathCount} results)", "AmazonSSM.GetParametersByPath", _ => ParameterSet.ByPath()),
            new("PutParameter (String, Overwrite)", "AmazonSSM.PutParameter",
                n => ParameterSet.Put(ParameterSet.PutName(n % ParameterSet.PutPoolSize), "value-" + n.ToString(CultureInfo.InvariantCulture), "String", ParameterSet.BulkTier)),
            new("PutParameter (SecureString, Overwrite)", "AmazonSSM.PutParameter",
                n => ParameterSet.Put(ParameterSet.PutSecureName(n % ParameterSet.PutPoolSize), "secret-" + n.ToString(CultureInfo.InvariantCulture), "SecureString", ParameterSet.BulkTier)),
        };
        if (options.Only.Count > 0)
        {
            scenarios = [.. scenarios.Where(s => s.Target is null || s.ToPing || options.Only.Any(o => s.Name.Contains(o, StringComparison.OrdinalIgnoreCase)))];
        }

        var results = new List<LoadResult>();
        foreach (var scenario in scenarios)
        {
            foreach (var concurrency in options.Concurrency)
            {
                for (var round = 0; round < options.Rounds; round++)
                {
                    var result = await runner.RunAsync(scenario, concurrency, options.Warmup, options.Duration, cancel.Token,
                        () => server.CpuTime());
                    results.Add(result);
                    Console.Error.WriteLine($"  {result.Scenario} @{concurrency}: {result.RequestsPerSecond:F0} req/s");
                }
            }
        }

        var measurePairs = ssm is not null && options.Concurrency.Contains(64) && options.Only.Count == 0;
        var pairs = measurePairs ? await PairedRoundsAsync(runner, scenarios[1], scenarios[2], server, cancel.Token) : [];
        var userPairs = measurePairs && user is not null ? await PairedRoundsAsync(runner, scenarios[2], scenarios[3], server, cancel.Token) : [];
        WriteTable(results);
        WriteVerdict(results, pairs, userPairs, options, server, afterSeed, ssm);
        return 0;
    }

    private const int PairedRounds = 5;

    /// <summary>
    /// A target's ratio measured again in back-to-back pairs (the baseline and the measured scenario, 2 s each at 64, the
    /// order alternating): on a machine whose other tenants come and go, two rows minutes apart can each catch a different
    /// load. Verdicts take the median pair.
    /// </summary>
    private static async Task<List<(double Baseline, double Measured)>> PairedRoundsAsync(LoadRunner runner, LoadScenario baseline, LoadScenario measured,
        BenchServer server, CancellationToken cancellationToken)
    {
        var pairs = new List<(double Baseline, double Measured)>();
        var warmup = TimeSpan.FromMilliseconds(500);
        var duration = TimeSpan.FromSeconds(2);
        for (var round = 0; round < PairedRounds; round++)
        {
            var baselineFirst = round % 2 == 0;
            var a = await runner.RunAsync(baselineFirst ? baseline : measured, 64, warmup, duration, cancellationToken, () => server.CpuTime());
            var b = await runner.RunAsync(baselineFirst ? measured : baseline, 64, warmup, duration, cancellationToken, () => server.CpuTime());
            var (ofBaseline, ofMeasured) = baselineFirst ? (a, b) : (b, a);
            pairs.Add((ofBaseline.RequestsPerSecond, ofMeasured.Errors > 0 ? 0 : ofMeasured.RequestsPerSecond));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  pair {round + 1} ({measured.Name}): {ofMeasured.RequestsPerSecond:F0} / {ofBaseline.RequestsPerSecond:F0} = {ofMeasured.RequestsPerSecond / ofBaseline.RequestsPerSecond:0.00}"));
        }

        return pairs;
    }

    /// <summary>Stores the String, SecureString and path parameters with PutParameter; returns null when the server has no SSM.</summary>
    /// <summary>
    /// Waits until the server is idle after seeding (under 10% of one CPU over half a second, at most 15 s): its last audit
    /// batches, checkpoints and collections would otherwise run inside the first rows, the ceiling's among them.
    /// </summary>
    private static async Task SettleAsync(BenchServer server, CancellationToken cancellationToken)
    {
        var window = TimeSpan.FromMilliseconds(500);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && server.CpuTime() is { } before)
        {
            await Task.Delay(window, cancellationToken);
            if (server.CpuTime() is not { } after || (after - before) < window * 0.1)
            {
                return;
            }
        }
    }

    private static async Task<SeedReport?> SeedAsync(LoadRunner runner, int parameters, CancellationToken cancellationToken)
    {
        long total = parameters + ParameterSet.SecureCount + ParameterSet.PathCount;
        var seed = new LoadScenario("seed", "AmazonSSM.PutParameter", k => k switch
        {
            _ when k < ParameterSet.PathCount => ParameterSet.Put(ParameterSet.PathName(k), "path-value", "String"),
            _ when k < ParameterSet.PathCount + ParameterSet.SecureCount =>
                ParameterSet.Put(ParameterSet.SecureName(k - ParameterSet.PathCount), "s3cr3t-value", "SecureString"),
            _ => ParameterSet.Put(ParameterSet.StringName(k - ParameterSet.PathCount - ParameterSet.SecureCount), "plain-value", "String", ParameterSet.BulkTier),
        });

        var (status, body) = await runner.SendOnceAsync(seed, 0, cancellationToken);
        if (status != 200)
        {
            Console.WriteLine($"> **No Parameter Store on this server**: PutParameter answered {status} {body}.");
            Console.WriteLine("> The SSM rows below then measure SigV4 signing, verification and dispatch up to that error, not SSM.");
            Console.WriteLine();
            return null;
        }

        var started = Stopwatch.GetTimestamp();
        long next = 0;
        long failures = 0;
        string? firstFailure = null;
        var progressStep = Math.Max(1, total / 10);
        await Task.WhenAll(Enumerable.Range(0, SeedConcurrency).Select(async _ =>
        {
            long k;
            while ((k = Interlocked.Increment(ref next)) < total)
            {
                var (s, b) = await runner.SendOnceAsync(seed, k, cancellationToken);
                if (s != 200)
                {
                    Interlocked.Increment(ref failures);
                    firstFailure ??= $"{s} {b}";
                }

                if (k % progressStep == 0)
                {
                    Console.Error.WriteLine($"  seeded {k:N0} / {total:N0}");
                }
            }
        }));

        var elapsed = Stopwatch.GetElapsedTime(started);
        var report = new SeedReport(total, failures, elapsed, firstFailure);
        Console.WriteLine($"Seeded {total:N0} parameters ({parameters:N0} String, {ParameterSet.SecureCount} SecureString, {ParameterSet.PathCount} under {ParameterSet.PathPrefix}) " +
            $"with PutParameter at concurrency {SeedConcurrency} in {elapsed.TotalSeconds:F1} s ({total / elapsed.TotalSeconds:F0}/s), {failures} failures{(firstFailure is null ? "" : ": " + firstFailure)}.");
        Console.WriteLine();
        return report;
    }

    private static void WriteHeader(LoadOptions options, BenchServer server)
    {
        Console.WriteLine("## Cairn load benchmark");
        Console.WriteLine();
        Console.WriteLine($"- date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
        Console.WriteLine($"- server: {server.Description}; parameter head cache: " + (options.ParameterCacheMegabytes switch
        {
            null => "default size",
            0 => "off (every GetParameter reads the database)",
            { } megabytes => $"{megabytes} MB",
        }) + "; storage: " + (options.Database is null ? "SQLite (data directory)" : "PostgreSQL (--database)"));
        Console.WriteLine($"- load: SigV4-signed AWS JSON 1.1 requests from one HttpClient over loopback keep-alive connections; " +
            $"{options.Warmup.TotalSeconds:0.###} s warm-up then {options.Duration.TotalSeconds:0.###} s measured per row; concurrency {string.Join(", ", options.Concurrency)}");
        Console.WriteLine("- the generator and the server share the machine's CPUs; compare rows of the same run (ratio to ceiling), not runs on different machines");
        Console.WriteLine();
    }

    private static void WriteTable(List<LoadResult> results)
    {
        Console.WriteLine("| scenario | concurrency | req/s | p50 ms | p99 ms | p99.9 ms | max ms | errors | server CPU µs/req | ratio to ceiling |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            var ceiling = Ceiling(results, result.Concurrency);
            var ratio = ceiling is null ? "" : (result.RequestsPerSecond / ceiling.RequestsPerSecond).ToString("0.00", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {result.Scenario} | {result.Concurrency} | {result.RequestsPerSecond:F0} | {result.P50Milliseconds:F3} | {result.P99Milliseconds:F3} | {result.P999Milliseconds:F3} | {result.MaxMilliseconds:F3} | {result.Errors} | {result.ServerCpuMicroseconds:F0} | {ratio} |"));
        }

        Console.WriteLine();
        foreach (var failed in results.Where(r => r.FirstError is not null).DistinctBy(r => r.Scenario))
        {
            Console.WriteLine($"- first error of {failed.Scenario}: `{Truncate(failed.FirstError!, 200)}`");
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static void WriteVerdict(List<LoadResult> results, List<(double Baseline, double Measured)> pairs, List<(double Baseline, double Measured)> userPairs,
        LoadOptions options, BenchServer server, long? rssAfterSeed, SeedReport? seed)
    {
        Console.WriteLine();
        var get = results.FirstOrDefault(r => r.Scenario == "GetParameter (String)" && r.Concurrency == 64);
        var ceiling = Ceiling(results, 64);
        if (get is not null && ceiling is not null && pairs.Count > 0)
        {
            var ratios = pairs.Select(p => p.Measured / p.Baseline).ToList();
            var median = Median(ratios);
            var verdict = seed is null || get.Errors > 0 || ratios.Any(r => r == 0) ? "NOT MEASURED (the requests failed)" : median >= 0.5 ? "PASS" : "FAIL";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- target GetParameter @64 >= 0.5 x ceiling: median of {pairs.Count} back-to-back pairs {median:0.00} "
                + $"({string.Join(", ", pairs.Select(p => $"{p.Measured:F0}/{p.Baseline:F0}={p.Measured / p.Baseline:0.00}"))}); "
                + $"the table's rows: {get.RequestsPerSecond:F0} / {ceiling.RequestsPerSecond:F0} = {get.RequestsPerSecond / ceiling.RequestsPerSecond:0.00} -> {verdict}"));
        }

        var asUser = results.FirstOrDefault(r => r.Scenario == NonRootScenario && r.Concurrency == 64);
        if (get is not null && asUser is not null && userPairs.Count > 0)
        {
            var costs = userPairs.Select(p => 1 - (p.Measured / p.Baseline)).ToList();
            var median = Median(costs);
            var verdict = asUser.Errors > 0 || userPairs.Any(p => p.Measured == 0) ? "NOT MEASURED (the requests failed)" : median <= 0.10 ? "PASS" : "FAIL";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"- target authorization cost (IAM user with 10 attached policies vs root, GetParameter @64) <= 10%: median of {userPairs.Count} back-to-back pairs {median:P1} "
                + $"({string.Join(", ", costs.Select(c => c.ToString("P1", CultureInfo.InvariantCulture)))}); the table's rows: "
                + $"{asUser.RequestsPerSecond:F0} vs {get.RequestsPerSecond:F0} req/s = {1 - (asUser.RequestsPerSecond / get.RequestsPerSecond):P1} -> {verdict}"));
        }

        var peak = server.PeakRssBytes();
        if (peak is { } bytes)
        {
            var stored = seed is null ? "no parameters stored (no SSM)" : $"{seed.Total - seed.Failures:N0} parameters stored";
            var verdict = seed is null || options.Parameters < 100_000 ? "NOT MEASURED (needs --params 100000 and SSM)" : bytes < 300L * 1024 * 1024 ? "PASS" : "FAIL";
            Console.WriteLine($"- server peak RSS (VmHWM): {bytes / 1048576.0:F0} MB with {stored}; RSS after seeding {rssAfterSeed / 1048576.0:F0} MB; target < 300 MB at 100,000 -> {verdict}");
        }
        else
        {
            Console.WriteLine("- server peak RSS: unavailable (needs Linux /proc)");
        }
    }

    private const string NonRootScenario = "GetParameter (String) as an IAM user with 10 attached policies";

    private const string SameRequestCeiling = "ceiling: the GetParameter request, signed, POSTed to /_cairn/ping (static 200, not authenticated)";

    /// <summary>The like-for-like ceiling: same request shape and client cost, none of the server's work.</summary>
    private static LoadResult? Ceiling(List<LoadResult> results, int concurrency) =>
        results.FirstOrDefault(r => r.Scenario == SameRequestCeiling && r.Concurrency == concurrency);

    private static string Truncate(string text, int length) =>
        (text.Length <= length ? text : text[..length] + "...").ReplaceLineEndings(" ");

    private sealed record SeedReport(long Total, long Failures, TimeSpan Elapsed, string? FirstFailure);
}
