using Cairn.Server.Aws.SigV4;

namespace Cairn.Bench.Load;

/// <summary>
/// One kind of request the generator repeats. No target: the bare GET /_cairn/ping ceiling. A ceiling with a target and
/// body sends exactly the SSM request (same headers, size and client-side signing) to /_cairn/ping, which answers a static
/// 200 without authenticating or reading it: the like-for-like ceiling that isolates the server's own work.
/// </summary>
/// <param name="Body">JSON body for the n-th request of a run.</param>
/// <param name="Signer">Signs as another principal (e.g. an IAM user); null signs as root.</param>
internal sealed record LoadScenario(string Name, string? Target, Func<long, string>? Body, bool ToPing = false, SigV4Signer? Signer = null)
{
    public bool IsCeiling => Target is null || ToPing;
}
