namespace Cairn.Bench.Load;

/// <summary>One scenario at one concurrency: throughput and latency percentiles of the measured window.</summary>
internal sealed record LoadResult(
    string Scenario,
    int Concurrency,
    long Requests,
    long Errors,
    TimeSpan Elapsed,
    double P50Milliseconds,
    double P99Milliseconds,
    double P999Milliseconds,
    double MaxMilliseconds,
    string? FirstError,
    TimeSpan? ServerCpu = null)
{
    /// <summary>Server CPU time per completed request, in microseconds: what the server itself spends, whatever the client costs.</summary>
    public double? ServerCpuMicroseconds => ServerCpu is { } cpu && Requests > 0 ? cpu.TotalMicroseconds / Requests : null;

    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
}
