namespace Cairn.Bench.Load;

/// <summary>One kind of request the generator repeats. No target: the unauthenticated GET /_cairn/ping ceiling.</summary>
/// <param name="Body">JSON body for the n-th request of a run.</param>
internal sealed record LoadScenario(string Name, string? Target, Func<long, string>? Body)
{
    public bool IsCeiling => Target is null;
}
