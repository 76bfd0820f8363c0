using Cairn.Storage.Secrets;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Secrets;

/// <summary>What every ISecretStore must do; each backend runs this suite through a subclass.</summary>
public abstract class SecretStoreContractTests
{
    protected const string Account = "111122223333";
    protected const string Region = "us-east-1";
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract ISecretStore Store { get; }

    private static SecretRecord Secret(string name, string region = Region, DateTimeOffset? deletion = null) =>
        new(Account, region, name, $"arn:aws:secretsmanager:{region}:{Account}:secret:{name}-AbCdEf", "d", null, Created, Created, null,
            deletion is null ? null : Created, deletion, [new SecretTag("team", "web"), new SecretTag("env", "prod")], null,
            [new SecretVersionRecord("11111111-1111-1111-1111-111111111111", ["AWSCURRENT"], Created, "Y2lwaGVy", false, "arn:aws:kms:us-east-1:111122223333:key/k", null)]);

    [StoreFact]
    public async Task A_created_secret_is_read_back_with_its_versions_and_tags_and_its_name_is_taken_once_per_region()
    {
        Assert.True(await Store.CreateAsync(Secret("app/db"), None));
        Assert.False(await Store.CreateAsync(Secret("app/db"), None));
        Assert.True(await Store.CreateAsync(Secret("app/db", region: "eu-west-1"), None));

        var read = await Store.GetAsync(Account, Region, "app/db", None);

        Assert.NotNull(read);
        Assert.Equal($"arn:aws:secretsmanager:{Region}:{Account}:secret:app/db-AbCdEf", read!.Arn);
        Assert.Equal(Created, read.Created);
        Assert.Equal(["team", "env"], read.Tags.Select(t => t.Key));
        var version = Assert.Single(read.Versions);
        Assert.Equal(["AWSCURRENT"], version.Stages);
        Assert.Equal("Y2lwaGVy", version.Ciphertext);
        Assert.Null(await Store.GetAsync(Account, Region, "app/other", None));
    }

    [StoreFact]
    public async Task Replication_and_rotation_are_stored_and_an_update_changes_and_clears_them()
    {
        var rotation = new SecretRotation(true, "arn:aws:lambda:us-east-1:111122223333:function:rotate", null, "rate(10 days)", "3h", Created, null);
        await Store.CreateAsync(Secret("app/db") with
        {
            Replicas = [new SecretReplica("eu-west-1", "alias/eu", SecretReplicaStatuses.InSync, null), new SecretReplica("us-west-2", null, SecretReplicaStatuses.Failed, "taken")],
            Rotation = rotation,
        }, None);
        await Store.CreateAsync(Secret("app/db", region: "eu-west-1") with { PrimaryRegion = Region }, None);

        var primary = await Store.GetAsync(Account, Region, "app/db", None);
        var replica = (await Store.ListAsync(Account, "eu-west-1", None)).Single();
        await Store.UpdateAsync(Account, Region, "app/db", s => s with { Replicas = [], Rotation = s.Rotation! with { Enabled = false, LastRotated = Created } }, None);
        await Store.UpdateAsync(Account, "eu-west-1", "app/db", s => s with { PrimaryRegion = null }, None);
        var changed = await Store.GetAsync(Account, Region, "app/db", None);
        var promoted = await Store.GetAsync(Account, "eu-west-1", "app/db", None);

        Assert.Null(primary!.PrimaryRegion);
        Assert.Equal([new SecretReplica("eu-west-1", "alias/eu", "InSync", null), new SecretReplica("us-west-2", null, "Failed", "taken")], primary.Replicas);
        Assert.Equal(rotation, primary.Rotation);
        Assert.Equal(Region, replica.PrimaryRegion);
        Assert.Empty(replica.Replicas);
        Assert.Null(replica.Rotation);
        Assert.Empty(changed!.Replicas);
        Assert.Equal(rotation with { Enabled = false, LastRotated = Created }, changed.Rotation);
        Assert.Null(promoted!.PrimaryRegion);
    }

    [StoreFact]
    public async Task An_update_replaces_versions_in_one_transaction_and_a_throwing_change_leaves_the_secret_as_it_was()
    {
        await Store.CreateAsync(Secret("app/db"), None);
        var later = Created.AddMinutes(1);

        var updated = await Store.UpdateAsync(Account, Region, "app/db", s => s with
        {
            Description = "new",
            LastChanged = later,
            Versions = [s.Versions[0] with { Stages = ["AWSPREVIOUS"] }, new SecretVersionRecord("22222222-2222-2222-2222-222222222222", ["AWSCURRENT"], later, "bmV3", true, "k", null)],
        }, None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.UpdateAsync(Account, Region, "app/db", s => throw new InvalidOperationException("no"), None));
        var missing = await Store.UpdateAsync(Account, Region, "ghost", s => s, None);

        var read = await Store.GetAsync(Account, Region, "app/db", None);
        Assert.NotNull(updated);
        Assert.Null(missing);
        Assert.Equal("new", read!.Description);
        Assert.Equal(["AWSPREVIOUS"], read.Version("11111111-1111-1111-1111-111111111111")!.Stages);
        Assert.True(read.VersionWithStage("AWSCURRENT")!.IsBinary);
        Assert.Equal(2, read.Versions.Count);
    }

    [StoreFact]
    public async Task Listing_is_by_name_in_one_scope_and_delete_and_purge_remove_secrets_with_their_versions()
    {
        await Store.CreateAsync(Secret("b"), None);
        await Store.CreateAsync(Secret("a", deletion: Created.AddDays(7)), None);
        await Store.CreateAsync(Secret("c", deletion: Created.AddDays(30)), None);
        await Store.CreateAsync(Secret("z", region: "eu-west-1"), None);

        Assert.Equal(["a", "b", "c"], (await Store.ListAsync(Account, Region, None)).Select(s => s.Name));
        Assert.True(await Store.DeleteAsync(Account, Region, "b", None));
        Assert.False(await Store.DeleteAsync(Account, Region, "b", None));
        var purged = await Store.PurgeDueAsync(Created.AddDays(8), None);

        Assert.Equal(["a"], purged.Select(s => s.Name));
        Assert.Equal(["c"], (await Store.ListAsync(Account, Region, None)).Select(s => s.Name));
        Assert.True(await Store.CreateAsync(Secret("a"), None));
        Assert.Single((await Store.GetAsync(Account, Region, "a", None))!.Versions);
    }
}
