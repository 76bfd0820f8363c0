using Cairn.Core.Builds;
using Cairn.Core.Builds.Events;
using Cairn.Runner.Builds;
using Cairn.Runner.Events;
using Cairn.Runner.Phases;
using Cairn.Runner.Tests.Events;

namespace Cairn.Runner.Tests.Builds;

/// <summary>
/// What every build executor (an <see cref="IBuildExecutor"/>, in whatever environment its shell runs: the host, the
/// sandbox, a container, later an agent or Kubernetes) must do with a build, seen only through its result and the events
/// it emits into the sink. A new executor or environment passes this suite through a subclass.
/// </summary>
public abstract class ExecutorContractTests : IDisposable
{
    private const string Secret = "contract-s3cr3t-value";
    private readonly BuildHarness _harness = new();

    /// <summary>The executor under test, and what it does to a request to run in its environment.</summary>
    private protected abstract (IBuildExecutor Executor, Func<BuildRequest, BuildRequest> Environment) Create(BuildHarness harness);

    public void Dispose()
    {
        _harness.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<(BuildResult Result, RecordingListener Events)> RunAsync(string yaml, BuildCancellation? cancellation = null)
    {
        var (executor, environment) = Create(_harness);
        var events = new RecordingListener();
        using var sink = new BuildEventSink(listeners: [events]);
        var result = await executor.RunAsync(environment(_harness.Request(yaml)), sink, cancellation);
        return (result, events);
    }

    [Fact]
    public async Task Every_phase_is_a_started_and_an_ended_event_in_order_and_the_result_holds_the_same_phases()
    {
        var (result, events) = await RunAsync("version: 0.2\nphases:\n  install:\n    commands:\n      - echo installing\n  build:\n    commands:\n      - echo building\n");

        // A FAULT says why in its phase's context (seen once in a full run, without it).
        Assert.True(result.Status == BuildStatuses.Succeeded, $"{result.Status}: " + string.Join("; ", result.Phases
            .Where(p => p.PhaseStatus is { } s && s != BuildStatuses.Succeeded)
            .Select(p => $"{p.PhaseType} {p.PhaseStatus} {string.Join(" ", (p.Contexts ?? []).Select(c => $"{c.StatusCode}: {c.Message}"))}")));
        var started = events.Of<BuildPhaseStarted>().Select(e => e.PhaseType).ToList();
        Assert.Equal(
            [BuildPhaseTypes.Submitted, BuildPhaseTypes.Queued, BuildPhaseTypes.Provisioning, BuildPhaseTypes.DownloadSource, BuildPhaseTypes.Install,
             BuildPhaseTypes.PreBuild, BuildPhaseTypes.Build, BuildPhaseTypes.PostBuild, BuildPhaseTypes.UploadArtifacts, BuildPhaseTypes.Finalizing, BuildPhaseTypes.Completed],
            started);
        Assert.Equal(result.Phases.Where(p => p.HasEnded), events.Of<BuildPhaseEnded>().Select(e => e.Phase));
        Assert.Contains(events.Of<BuildLogLine>(), l => l.Message is null && l.Text == "building");
        Assert.Contains(events.Of<BuildLogLine>(), l => l.Message == "Running command echo building");
    }

    [Fact]
    public async Task A_failing_command_ends_its_phase_FAILED_with_CodeBuilds_context_and_skips_to_finalizing()
    {
        var (result, events) = await RunAsync("version: 0.2\nphases:\n  pre_build:\n    commands:\n      - exit 3\n  build:\n    commands:\n      - echo never\n");

        Assert.Equal(BuildStatuses.Failed, result.Status);
        var failed = events.Of<BuildPhaseEnded>().Single(e => e.Phase.PhaseType == BuildPhaseTypes.PreBuild).Phase;
        Assert.Equal(BuildStatuses.Failed, failed.PhaseStatus);
        Assert.Equal(new PhaseContext("COMMAND_EXECUTION_ERROR", "Error while executing command: exit 3. Reason: exit status 3"), failed.Contexts!.Single());
        Assert.DoesNotContain(events.Of<BuildPhaseStarted>(), e => e.PhaseType == BuildPhaseTypes.Build);
        Assert.DoesNotContain(events.Of<BuildLogLine>(), l => l.Text == "never");
    }

    [Fact]
    public async Task A_parameter_value_never_reaches_a_listener_in_output_exports_or_contexts()
    {
        _harness.Secrets.Add("/contract/token", Secret);
        var (result, events) = await RunAsync(
            "version: 0.2\nenv:\n  parameter-store:\n    TOKEN: /contract/token\n  exported-variables:\n    - COPY\n"
            + "phases:\n  build:\n    commands:\n      - echo \"token is $TOKEN\"\n      - export COPY=\"x$TOKEN\"\n      - test \"$TOKEN\" = nope || echo \"$TOKEN\" && exit 1\n");

        Assert.Contains(events.Of<BuildLogLine>(), l => l.Text == "token is ***");
        Assert.DoesNotContain(Secret, string.Join('\n', events.Events.Select(e => e.ToString())), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, string.Join('\n', result.Phases.SelectMany(p => p.Contexts ?? []).Select(c => c.Message)), StringComparison.Ordinal);
        Assert.Equal(BuildStatuses.Failed, result.Status);
    }

    [Fact]
    public async Task Exported_variables_and_artifacts_are_events_too()
    {
        _harness.Secrets.Add("/contract/token", Secret);
        var (result, events) = await RunAsync(
            "version: 0.2\nenv:\n  parameter-store:\n    TOKEN: /contract/token\n  exported-variables:\n    - TAG\n    - COPY\n"
            + "phases:\n  build:\n    commands:\n      - export TAG=v7\n      - export COPY=\"x$TOKEN\"\n      - echo out > out.txt\n"
            + "artifacts:\n  files:\n    - out.txt\n");

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        var exported = Assert.Single(events.Of<BuildVariablesExported>()).Variables;
        Assert.Equal([new ExportedVariable("TAG", "v7"), new ExportedVariable("COPY", "x***")], exported);
        Assert.Equal(exported, result.ExportedVariables);
        var artifact = Assert.Single(events.Of<BuildArtifactUploaded>());
        Assert.Equal(1, artifact.FileCount);
    }

    [Fact]
    public async Task A_stopped_build_ends_the_running_phase_STOPPED()
    {
        using var cancellation = new BuildCancellation();
        var (executor, environment) = Create(_harness);
        var events = new RecordingListener();
        using var sink = new BuildEventSink(listeners: [events]);
        var running = executor.RunAsync(environment(_harness.Request("version: 0.2\nphases:\n  build:\n    commands:\n      - echo started\n      - sleep 600\n")), sink, cancellation);
        while (!events.Of<BuildLogLine>().Any(l => l.Text == "started"))
        {
            await Task.Delay(20);
        }

        cancellation.Stop();
        var result = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(BuildStatuses.Stopped, result.Status);
        var build = events.Of<BuildPhaseEnded>().Single(e => e.Phase.PhaseType == BuildPhaseTypes.Build).Phase;
        Assert.Equal(new PhaseContext("BUILD_STOPPED", "Build was stopped."), build.Contexts!.Single());
    }
}
