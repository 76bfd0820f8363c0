using Cairn.Core.Builds;

namespace Cairn.Server.Tests.CodeBuild;

/// <summary>Queue rules that do not need a worker: the queued timeout and recovery after the server died.</summary>
public sealed class QueueLifecycleTests : WorkerFixture
{
    // No worker runs here: the pool is never started, so builds stay where the test puts them.
    public override Task InitializeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_build_queued_past_its_queued_timeout_is_timed_out_in_the_queue()
    {
        await InlineProjectAsync("version: 0.2\nphases: {build: {commands: [echo]}}", extra: ""","queuedTimeoutInMinutes":5""");
        var id = await StartBuildAsync();

        Time.Advance(TimeSpan.FromMinutes(4));
        await Pool.SweepQueueAsync(CancellationToken.None);
        var stillQueued = await Store.FindBuildAsync(Uuid(id), CancellationToken.None);
        Time.Advance(TimeSpan.FromMinutes(1));
        await Pool.SweepQueueAsync(CancellationToken.None);
        var build = await Store.FindBuildAsync(Uuid(id), CancellationToken.None);

        Assert.True(stillQueued!.IsQueued);
        Assert.Equal(BuildStatuses.TimedOut, build!.Status);
        var queued = build.Phases.Single(p => p.PhaseType == BuildPhaseTypes.Queued);
        Assert.Equal(BuildStatuses.TimedOut, queued.PhaseStatus);
        Assert.Equal("BUILD_TIMED_OUT", queued.Contexts![0].StatusCode);
    }

    [Fact]
    public async Task Builds_running_when_the_server_died_are_failed_on_restart_and_queued_ones_stay()
    {
        await InlineProjectAsync("version: 0.2\nphases: {build: {commands: [echo]}}");
        var running = await StartBuildAsync();
        var queued = await StartBuildAsync();
        await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Time.GetUtcNow()).BeginPhase(BuildPhaseTypes.Build, Time.GetUtcNow()), CancellationToken.None);

        await Pool.RecoverAsync(CancellationToken.None);
        var failed = await Store.FindBuildAsync(Uuid(running), CancellationToken.None);
        var waiting = await Store.FindBuildAsync(Uuid(queued), CancellationToken.None);

        Assert.Equal(BuildStatuses.Failed, failed!.Status);
        var build = failed.Phases.Single(p => p.PhaseType == BuildPhaseTypes.Build);
        Assert.Equal(BuildStatuses.Failed, build.PhaseStatus);
        Assert.Equal("BUILD_INTERRUPTED", build.Contexts![0].StatusCode);
        Assert.Equal(["SUBMITTED", "QUEUED", "PROVISIONING", "BUILD", "FINALIZING", "COMPLETED"], failed.Phases.Select(p => p.PhaseType));
        Assert.Contains("The Cairn server stopped while this build was running", LogOf(running), StringComparison.Ordinal);
        Assert.True(waiting!.IsQueued);
    }
}
