using Cairn.Storage.Pipelines;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Pipelines;

/// <summary>What every IPipelineRunners must do; each backend runs this suite through a subclass.</summary>
public abstract class PipelineRunnersContractTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    protected abstract IPipelineRunners Runners { get; }

    /// <summary>A second store over the same database, as another server opens it.</summary>
    protected abstract IPipelineRunners OtherServer { get; }

    [StoreFact]
    public async Task Heartbeats_are_seen_by_every_server_and_a_forgotten_runner_is_gone()
    {
        await Runners.HeartbeatAsync("host-a/1/1", Now, CancellationToken.None);
        await Runners.HeartbeatAsync("host-a/1/1", Now.AddSeconds(15), CancellationToken.None);
        await OtherServer.HeartbeatAsync("host-b/2/2", Now.AddSeconds(5), CancellationToken.None);

        var seen = await OtherServer.ListAsync(CancellationToken.None);
        Assert.Equal(Now.AddSeconds(15), seen["host-a/1/1"]);
        Assert.Equal(Now.AddSeconds(5), seen["host-b/2/2"]);

        await OtherServer.ForgetAsync("host-a/1/1", CancellationToken.None);
        Assert.Equal(["host-b/2/2"], (await Runners.ListAsync(CancellationToken.None)).Keys);
    }

    [StoreFact]
    public async Task A_pipelines_lock_is_released_when_disposed_and_taken_again()
    {
        await using (await Runners.LockPipelineAsync("000000000000", "us-east-1", "app", CancellationToken.None))
        {
        }

        await using var again = await OtherServer.LockPipelineAsync("000000000000", "us-east-1", "app", CancellationToken.None);
        await using var other = await Runners.LockPipelineAsync("000000000000", "us-east-1", "another", CancellationToken.None);
    }
}
