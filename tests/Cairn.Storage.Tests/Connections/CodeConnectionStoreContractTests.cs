using Cairn.Core.Connections;
using Cairn.Core.Pipelines;
using Cairn.Storage.Connections;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Connections;

/// <summary>What every ICodeConnectionStore must do; each backend runs this suite through a subclass.</summary>
public abstract class CodeConnectionStoreContractTests
{
    private const string Account = "111122223333";
    private const string Region = "us-east-1";
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
    private static readonly PipelineScope Scope = new(Account, Region);

    protected abstract ICodeConnectionStore Store { get; }

    private static ConnectionRecord Connection(string service = ConnectionArns.CodeConnections, string? hostArn = null, string region = Region, params ConnectionTag[] tags) =>
        new(ConnectionArns.Connection(service, region, Account, Guid.NewGuid()), "app", Account, region, hostArn is null ? "GitHub" : "GitLabSelfManaged", hostArn, "AVAILABLE", Created, tags);

    private static HostRecord Host(string name = "git-internal") =>
        new(ConnectionArns.Host(ConnectionArns.CodeConnections, Region, Account, name, Guid.NewGuid()), name, Account, Region, "GitLabSelfManaged", "https://git.internal", "AVAILABLE", Created, []);

    [StoreFact]
    public async Task A_created_connection_is_read_back_by_its_arn_in_either_services_form()
    {
        var connection = Connection(ConnectionArns.CodeStar, tags: new ConnectionTag("team", "web"));
        Assert.True(await Store.CreateConnectionAsync(connection, CancellationToken.None));

        var direct = await Store.GetConnectionAsync(connection.Arn, CancellationToken.None);
        var other = await Store.GetConnectionAsync(ConnectionArns.Other(connection.Arn), CancellationToken.None);

        Assert.NotNull(direct);
        Assert.Equal(connection, direct with { Tags = connection.Tags });
        Assert.Equal([new ConnectionTag("team", "web")], direct.Tags);
        Assert.Equal(connection.Arn, other?.Arn);
    }

    [StoreFact]
    public async Task A_missing_connection_or_host_is_null_and_deleting_it_reports_so()
    {
        var arn = ConnectionArns.Connection(ConnectionArns.CodeConnections, Region, Account, Guid.NewGuid());
        var hostArn = Host().Arn;

        Assert.Null(await Store.GetConnectionAsync(arn, CancellationToken.None));
        Assert.Null(await Store.GetHostAsync(hostArn, CancellationToken.None));
        Assert.False(await Store.DeleteConnectionAsync(arn, CancellationToken.None));
        Assert.Equal(HostDeletion.NotFound, await Store.DeleteHostAsync(hostArn, CancellationToken.None));
        Assert.Null(await Store.UpdateTagsAsync(arn, t => t, CancellationToken.None));
    }

    [StoreFact]
    public async Task Connections_are_listed_per_region_in_pages_and_by_provider_or_host()
    {
        var host = Host();
        Assert.True(await Store.CreateHostAsync(host, CancellationToken.None));
        var made = new List<ConnectionRecord> { Connection(), Connection(), Connection(hostArn: host.Arn), Connection(region: "eu-west-1") };
        foreach (var connection in made)
        {
            Assert.True(await Store.CreateConnectionAsync(connection, CancellationToken.None));
        }

        var first = await Store.ListConnectionsAsync(Account, Region, null, null, null, 2, CancellationToken.None);
        var rest = await Store.ListConnectionsAsync(Account, Region, null, null, ConnectionArns.Parse(first[^1].Arn)!.Id, 10, CancellationToken.None);
        var gitHub = await Store.ListConnectionsAsync(Account, Region, "GitHub", null, null, 10, CancellationToken.None);
        var onHost = await Store.ListConnectionsAsync(Account, Region, null, ConnectionArns.Other(host.Arn), null, 10, CancellationToken.None);

        Assert.Equal(2, first.Count);
        Assert.Single(rest);
        Assert.Equal(made.Take(3).Select(c => c.Arn).Order(), first.Concat(rest).Select(c => c.Arn).Order());
        Assert.Equal(2, gitHub.Count);
        Assert.Equal(made[2].Arn, Assert.Single(onHost).Arn);
    }

    [StoreFact]
    public async Task A_host_with_connections_is_not_deleted_until_they_are()
    {
        var host = Host();
        await Store.CreateHostAsync(host, CancellationToken.None);
        var connection = Connection(hostArn: host.Arn);
        await Store.CreateConnectionAsync(connection, CancellationToken.None);

        var refused = await Store.DeleteHostAsync(host.Arn, CancellationToken.None);
        Assert.True(await Store.DeleteConnectionAsync(connection.Arn, CancellationToken.None));
        var deleted = await Store.DeleteHostAsync(host.Arn, CancellationToken.None);

        Assert.Equal(new HostDeletion(true, 1), refused);
        Assert.Equal(HostDeletion.Deleted, deleted);
        Assert.Null(await Store.GetHostAsync(host.Arn, CancellationToken.None));
    }

    [StoreFact]
    public async Task Tags_change_in_one_step_and_a_failing_change_leaves_them()
    {
        var host = Host();
        await Store.CreateHostAsync(host, CancellationToken.None);

        var changed = await Store.UpdateTagsAsync(host.Arn, _ => [new ConnectionTag("a", "1")], CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.UpdateTagsAsync(host.Arn, _ => throw new InvalidOperationException("no"), CancellationToken.None));

        Assert.Equal([new ConnectionTag("a", "1")], changed);
        Assert.Equal([new ConnectionTag("a", "1")], (await Store.GetHostAsync(host.Arn, CancellationToken.None))!.Tags);
    }

    [StoreFact]
    public async Task Seen_revisions_are_kept_per_pipeline_and_action_and_updated_per_ref()
    {
        await Store.SetSeenRevisionsAsync(Scope, "app", "Source", new Dictionary<string, string> { ["refs/heads/main"] = "a1", ["refs/tags/v1"] = "b1" }, CancellationToken.None);
        await Store.SetSeenRevisionsAsync(Scope, "app", "Source", new Dictionary<string, string> { ["refs/heads/main"] = "a2" }, CancellationToken.None);
        await Store.SetSeenRevisionsAsync(Scope, "other", "Source", new Dictionary<string, string> { ["refs/heads/main"] = "c1" }, CancellationToken.None);

        var seen = await Store.GetSeenRevisionsAsync(Scope, "app", "Source", CancellationToken.None);

        Assert.Equal(new Dictionary<string, string> { ["refs/heads/main"] = "a2", ["refs/tags/v1"] = "b1" }, seen);
        Assert.Empty(await Store.GetSeenRevisionsAsync(Scope, "app", "Other", CancellationToken.None));
    }
}
