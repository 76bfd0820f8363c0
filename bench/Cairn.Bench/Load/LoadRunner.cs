using System.Diagnostics;
using System.Text;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Bench.Load;

/// <summary>
/// Runs a scenario with N concurrent workers over one keep-alive connection pool: each worker builds, signs (SigV4) and
/// sends one request at a time, and records the round trip. Throughput is completed requests / measured wall time.
/// </summary>
internal sealed class LoadRunner(HttpClient http, SigV4Signer signer, Uri endpoint)
{
    public const string JsonContentType = "application/x-amz-json-1.1";

    private readonly Uri _ping = new(endpoint, "/_cairn/ping");

    public async Task<LoadResult> RunAsync(LoadScenario scenario, int concurrency, TimeSpan warmup, TimeSpan duration, CancellationToken cancellationToken,
        Func<TimeSpan?>? serverCpu = null)
    {
        if (warmup > TimeSpan.Zero)
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => WorkerAsync(scenario, w, concurrency, warmup, cancellationToken)));
        }

        var cpuBefore = serverCpu?.Invoke();
        var started = Stopwatch.GetTimestamp();
        var workers = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => WorkerAsync(scenario, w, concurrency, duration, cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var cpuAfter = serverCpu?.Invoke();

        var latencies = workers.SelectMany(w => w.Latencies).ToArray();
        Array.Sort(latencies);
        return new LoadResult(
            scenario.Name,
            concurrency,
            latencies.Length,
            workers.Sum(w => w.Errors),
            elapsed,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.99),
            Percentile(latencies, 0.999),
            Percentile(latencies, 1.0),
            workers.Select(w => w.FirstError).FirstOrDefault(e => e is not null),
            cpuAfter - cpuBefore);
    }

    /// <summary>One request, signed unless it is the ceiling; returns the status and body.</summary>
    public async Task<(int Status, string Body)> SendOnceAsync(LoadScenario scenario, long sequence, CancellationToken cancellationToken)
    {
        using var request = Create(scenario, sequence);
        using var response = await http.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private async Task<WorkerResult> WorkerAsync(LoadScenario scenario, int worker, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        // Let every worker start before the clock matters; the scenario's first requests then overlap as they should.
        await Task.Yield();
        var latencies = new List<long>(4096);
        long errors = 0;
        string? firstError = null;
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        for (long sequence = worker; Stopwatch.GetTimestamp() < deadline; sequence += concurrency)
        {
            using var request = Create(scenario, sequence);
            var start = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            latencies.Add(Stopwatch.GetTimestamp() - start);
            if (!response.IsSuccessStatusCode)
            {
                errors++;
                firstError ??= $"{(int)response.StatusCode} {Encoding.UTF8.GetString(body)}";
            }
        }

        return new WorkerResult(latencies, errors, firstError);
    }

    private HttpRequestMessage Create(LoadScenario scenario, long sequence)
    {
        if (scenario.Target is null)
        {
            return new HttpRequestMessage(HttpMethod.Get, _ping);
        }

        var body = Encoding.UTF8.GetBytes(scenario.Body!(sequence));
        var request = new HttpRequestMessage(HttpMethod.Post, scenario.ToPing ? _ping : endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", JsonContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", scenario.Target);
        (scenario.Signer ?? signer).Sign(request, body, DateTimeOffset.UtcNow);
        return request;
    }

    private static double Percentile(long[] sortedTicks, double fraction)
    {
        if (sortedTicks.Length == 0)
        {
            return double.NaN;
        }

        var index = Math.Clamp((int)Math.Ceiling(fraction * sortedTicks.Length) - 1, 0, sortedTicks.Length - 1);
        return sortedTicks[index] * 1000.0 / Stopwatch.Frequency;
    }

    private sealed record WorkerResult(List<long> Latencies, long Errors, string? FirstError);
}
