using System.Text.RegularExpressions;
using System.Threading.Channels;
using Cairn.Core.Builds;
using Cairn.Storage.Builds;

namespace Cairn.Server.Services.CodeBuild.Execution;

/// <summary>
/// Keeps a running build's current phase up to date for BatchGetBuilds by reading the runner's own log lines
/// ("Entering phase BUILD", "Phase complete: BUILD State: FAILED"); the final phase list comes from the runner's result.
/// Store writes happen in order on one background task, never on the thread that writes the log.
/// </summary>
internal sealed partial class PhaseTracker : IAsyncDisposable
{
    private readonly Channel<(string Phase, string? Status)> _changes = Channel.CreateUnbounded<(string, string?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    public PhaseTracker(IBuildStore store, string uuid, TimeProvider time)
    {
        _pump = Task.Run(async () =>
        {
            await foreach (var (phase, status) in _changes.Reader.ReadAllAsync())
            {
                var now = time.GetUtcNow();
                await store.UpdateBuildAsync(uuid, build => build.IsComplete ? null
                    : status is null
                        ? build.CurrentPhase == phase ? null : build.BeginPhase(phase, now)
                        : build.CurrentPhase == phase ? build.EndPhase(status, [PhaseContext.None], now) : null,
                    CancellationToken.None);
            }
        });
    }

    /// <summary>Called with each line of the (masked) log as it is written.</summary>
    public void Observe(string line)
    {
        if (!line.StartsWith("[Container] ", StringComparison.Ordinal))
        {
            return;
        }

        var match = PhaseLine().Match(line);
        if (match.Success)
        {
            _changes.Writer.TryWrite((match.Groups["phase"].Value, match.Groups["status"].Success ? match.Groups["status"].Value : null));
        }
    }

    /// <summary>Waits until every change seen so far is stored.</summary>
    public async ValueTask DisposeAsync()
    {
        _changes.Writer.TryComplete();
        await _pump;
    }

    [GeneratedRegex(@"^\[Container\] \S+ \S+ (?:Entering phase (?<phase>[A-Z_]+)|Phase is (?<phase>[A-Z_]+)|Phase complete: (?<phase>[A-Z_]+) State: (?<status>[A-Z_]+))\s*$")]
    private static partial Regex PhaseLine();
}
