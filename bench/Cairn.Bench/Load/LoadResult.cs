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
    string? FirstError)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;
}
