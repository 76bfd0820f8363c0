using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Application.Builds.Queue;
using Cairn.Core.Builds;
using Cairn.Server.Services.CodeBuild.Queue;

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
        // Its log is complete, so a reader following it (the dashboard's live log) ends instead of waiting forever.
        Assert.True((await Logs.DescribeAsync(Uuid(id), CancellationToken.None)).IsComplete);
    }

    [Fact]
    public async Task Builds_running_when_the_server_died_are_failed_on_restart_and_queued_ones_stay()
    {
        await InlineProjectAsync("version: 0.2\nphases: {build: {commands: [echo]}}");
        var running = await StartBuildAsync();
        var queued = await StartBuildAsync();
        // The server that claimed it had this process id but started at another time: it is gone, the id was reused.
        var dead = ClaimingProcess.Current with { StartedAtMilliseconds = 1 };
        await ClaimAsync(dead);

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

    [Fact]
    public async Task A_build_another_live_server_on_this_host_runs_is_left_alone_until_that_server_is_gone()
    {
        await InlineProjectAsync("version: 0.2\nphases: {build: {commands: [echo]}}");
        var running = await StartBuildAsync();
        using var other = System.Diagnostics.Process.Start("sleep", "60");
        try
        {
            await ClaimAsync(ClaimingProcess.Of(other));
            await Pool.RecoverAsync(CancellationToken.None);
            Assert.False((await Store.FindBuildAsync(Uuid(running), CancellationToken.None))!.IsComplete);
        }
        finally
        {
            other.Kill();
            await other.WaitForExitAsync();
        }

        await Pool.RecoverAsync(CancellationToken.None);
        Assert.Equal(BuildStatuses.Failed, (await Store.FindBuildAsync(Uuid(running), CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task A_build_run_on_another_host_is_failed_only_when_its_heartbeat_is_older_than_the_lease()
    {
        await InlineProjectAsync("version: 0.2\nphases: {build: {commands: [echo]}}");
        var running = await StartBuildAsync();
        var elsewhere = new ClaimingProcess("another-host", 4242, 1);
        await ClaimAsync(elsewhere);

        Time.Advance(ClaimingProcess.LeaseTimeout - TimeSpan.FromSeconds(5));
        await Store.HeartbeatAsync(elsewhere.ToString(), Time.GetUtcNow(), CancellationToken.None);
        Time.Advance(ClaimingProcess.LeaseTimeout - TimeSpan.FromSeconds(5));
        await Pool.RecoverAsync(CancellationToken.None);
        Assert.False((await Store.FindBuildAsync(Uuid(running), CancellationToken.None))!.IsComplete);

        Time.Advance(TimeSpan.FromSeconds(10));
        await Pool.RecoverAsync(CancellationToken.None);
        Assert.Equal(BuildStatuses.Failed, (await Store.FindBuildAsync(Uuid(running), CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task This_servers_own_running_builds_are_never_taken_for_orphans()
    {
        await InlineProjectAsync("version: 0.2\nphases: {build: {commands: [echo]}}");
        var running = await StartBuildAsync();
        await ClaimAsync(ClaimingProcess.Current);

        Time.Advance(TimeSpan.FromHours(1));
        await Pool.RecoverAsync(CancellationToken.None);
        Assert.False((await Store.FindBuildAsync(Uuid(running), CancellationToken.None))!.IsComplete);
    }

    private Task ClaimAsync(ClaimingProcess runner) => Store.ClaimNextQueuedAsync(
        b => b.BeginPhase(BuildPhaseTypes.Provisioning, Time.GetUtcNow()).BeginPhase(BuildPhaseTypes.Build, Time.GetUtcNow()),
        runner.ToString(), Time.GetUtcNow(), CancellationToken.None);
}
