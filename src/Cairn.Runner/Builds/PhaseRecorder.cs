using Cairn.Runner.Phases;

namespace Cairn.Runner.Builds;

/// <summary>Keeps the build's phase list: each phase's start, end, status and context, in the order they ran.</summary>
internal sealed class PhaseRecorder(TimeProvider time)
{
    private readonly List<BuildPhaseResult> _phases = [];
    private BuildPhaseType? _current;
    private DateTimeOffset _start;

    public IReadOnlyList<BuildPhaseResult> Phases => _phases;

    public BuildPhaseType? Current => _current;

    public DateTimeOffset Now => time.GetUtcNow();

    public void Begin(BuildPhaseType phase)
    {
        _current = phase;
        _start = Now;
    }

    public void End(PhaseStatus status, PhaseContext context, string? hint = null)
    {
        if (_current is not { } phase)
        {
            throw new InvalidOperationException("No phase is running.");
        }

        _phases.Add(new BuildPhaseResult(phase, status, _start, Now, [context], hint));
        _current = null;
    }

    /// <summary>A phase with nothing to do locally (SUBMITTED, QUEUED, PROVISIONING, FINALIZING).</summary>
    public void Instant(BuildPhaseType phase)
    {
        Begin(phase);
        End(PhaseStatus.Succeeded, PhaseContext.None);
    }

    /// <summary>COMPLETED has a start time only, as on AWS.</summary>
    public void Complete() => _phases.Add(new BuildPhaseResult(BuildPhaseType.Completed, null, Now, null, []));
}
