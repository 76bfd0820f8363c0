using System.Threading.Channels;
using Cairn.Core.Builds;
using Cairn.Core.Builds.Events;
using Cairn.Storage.Builds;

namespace Cairn.Application.Builds.Execution;

/// <summary>
/// Keeps a running build's record up to date from its events, so BatchGetBuilds shows the current phase and the phases
/// that ended (with their contexts) while the build runs. Store writes happen in order on one background task, never
/// on the thread that emitted the event; the orchestrator's final completion replaces the phase list after this drains.
/// </summary>
internal sealed class BuildRecordProjection : IBuildEventListener, IAsyncDisposable
{
    private readonly Channel<BuildEvent> _changes = Channel.CreateUnbounded<BuildEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    public BuildRecordProjection(IBuildStore store, string uuid)
    {
        _pump = Task.Run(async () =>
        {
            var reader = _changes.Reader;
            var batch = new List<BuildEvent>();
            while (await reader.WaitToReadAsync())
            {
                // The changes that arrived while the last one was stored go in one transaction: a build whose phases pass
                // quickly costs a durable write or two, not one per phase event.
                while (reader.TryRead(out var change))
                {
                    batch.Add(change);
                }

                await store.UpdateBuildAsync(uuid, build => ApplyAll(build, batch), CancellationToken.None);
                batch.Clear();
            }
        });
    }

    public void OnEvent(BuildEvent buildEvent)
    {
        // COMPLETED is the orchestrator's to enter, once the build's processes and files are gone.
        if (buildEvent is BuildPhaseEnded or BuildPhaseStarted { PhaseType: not BuildPhaseTypes.Completed })
        {
            _changes.Writer.TryWrite(buildEvent);
        }
    }

    /// <summary>Waits until every change seen so far is stored.</summary>
    public async ValueTask DisposeAsync()
    {
        _changes.Writer.TryComplete();
        await _pump;
    }

    /// <summary>The build with every change applied in order; null when none of them changes it.</summary>
    private static BuildRecord? ApplyAll(BuildRecord build, IReadOnlyList<BuildEvent> changes)
    {
        BuildRecord? changed = null;
        foreach (var change in changes)
        {
            changed = Apply(changed ?? build, change) ?? changed;
        }

        return changed;
    }

    private static BuildRecord? Apply(BuildRecord build, BuildEvent change)
    {
        if (build.IsComplete)
        {
            return null;
        }

        switch (change)
        {
            case BuildPhaseStarted started when build.CurrentPhase != started.PhaseType:
                return build.BeginPhase(started.PhaseType, started.Time, firstLogLine: started.FirstLogLine);
            case BuildPhaseEnded { Phase: var phase } when build.CurrentPhase == phase.PhaseType && build.Phases is [.., { HasEnded: false }]:
                var ended = build.EndPhase(phase.PhaseStatus!, phase.Contexts ?? [PhaseContext.None], phase.EndTime!.Value);
                return ended with { Phases = [.. ended.Phases.SkipLast(1), ended.Phases[^1] with { Hint = phase.Hint }] };
            default:
                return null;
        }
    }
}
