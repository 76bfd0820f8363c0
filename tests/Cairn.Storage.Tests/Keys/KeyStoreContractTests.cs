using Cairn.Core.Keys;
using Cairn.Storage.Changes;
using Cairn.Storage.Keys;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Keys;

/// <summary>What every IKeyStore must do; each backend runs this suite through a subclass.</summary>
public abstract class KeyStoreContractTests
{
    private static readonly KeyScope Scope = new("111122223333", "us-east-1");
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    protected abstract IKeyStore Store { get; }

    /// <summary>The feed the backend registers as <c>IChangeFeed&lt;IKeyStore&gt;</c> for this store.</summary>
    protected abstract IChangeFeed<IKeyStore> Changes { get; }

    private static KeyRecord NewKey(KeyScope? scope = null, string manager = KeyRecord.CustomerManaged) => new(
        scope ?? Scope, Guid.NewGuid().ToString("D"), "description", KeyRecord.EncryptDecrypt, KeyRecord.SymmetricDefault, KeyRecord.AwsKmsOrigin,
        manager, Enabled: true, Now, [1, 2, 3, 4], "{\"Version\":\"2012-10-17\"}", [new KeyTag("team", "build")]);

    [StoreFact]
    public async Task Every_committed_write_moves_the_change_feed_and_a_refused_one_does_not()
    {
        var before = await Changes.CurrentAsync(CancellationToken.None);
        var key = NewKey();
        await Store.InsertKeyAsync(key, CancellationToken.None);
        var inserted = await Changes.CurrentAsync(CancellationToken.None);
        Assert.True(await Store.TryInsertAliasAsync(new AliasRecord(Scope, "alias/feed", key.KeyId, Now, Now), CancellationToken.None));
        var aliased = await Changes.CurrentAsync(CancellationToken.None);

        Assert.False(await Store.TryInsertAliasAsync(new AliasRecord(Scope, "alias/feed", key.KeyId, Now, Now), CancellationToken.None));
        Assert.NotNull(await Store.FindKeyAsync(Scope, key.KeyId, CancellationToken.None));

        Assert.True(inserted > before);
        Assert.True(aliased > inserted);
        Assert.Equal(aliased, await Changes.CurrentAsync(CancellationToken.None));
    }

    [StoreFact]
    public async Task An_inserted_key_is_found_with_every_field()
    {
        var key = NewKey();
        await Store.InsertKeyAsync(key, CancellationToken.None);

        var found = await Store.FindKeyAsync(Scope, key.KeyId, CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(key with { WrappedMaterial = found.WrappedMaterial, Tags = found.Tags, Rotations = found.Rotations }, found);
        Assert.Equal(key.WrappedMaterial, found.WrappedMaterial);
        Assert.Equal(key.Tags, found.Tags);
    }

    [StoreFact]
    public async Task A_key_is_invisible_from_another_region_or_account()
    {
        var key = NewKey();
        await Store.InsertKeyAsync(key, CancellationToken.None);

        Assert.Null(await Store.FindKeyAsync(Scope with { Region = "eu-west-1" }, key.KeyId, CancellationToken.None));
        Assert.Null(await Store.FindKeyAsync(Scope with { AccountId = "444455556666" }, key.KeyId, CancellationToken.None));
    }

    [StoreFact]
    public async Task An_alias_resolves_to_its_key_and_cannot_be_inserted_twice()
    {
        var key = NewKey();
        await Store.InsertKeyAsync(key, CancellationToken.None);

        Assert.True(await Store.TryInsertAliasAsync(new AliasRecord(Scope, "alias/app", key.KeyId, Now, Now), CancellationToken.None));
        Assert.False(await Store.TryInsertAliasAsync(new AliasRecord(Scope, "alias/app", key.KeyId, Now, Now), CancellationToken.None));

        Assert.Equal(key.KeyId, (await Store.FindKeyByAliasAsync(Scope, "alias/app", CancellationToken.None))?.KeyId);
        Assert.Null(await Store.FindKeyByAliasAsync(Scope with { Region = "eu-west-1" }, "alias/app", CancellationToken.None));
    }

    [StoreFact]
    public async Task Get_or_create_aliased_key_creates_once_under_concurrency()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
            Store.GetOrCreateAliasedKeyAsync(NewKey(manager: KeyRecord.AwsManaged), "alias/aws/ssm", Now, CancellationToken.None))));

        Assert.Single(results.Select(k => k.KeyId).Distinct());
        Assert.Single(await Store.ListKeysAsync(Scope, null, 100, CancellationToken.None));
    }

    [StoreFact]
    public async Task Set_enabled_changes_the_state_and_reports_missing_keys()
    {
        var key = NewKey();
        await Store.InsertKeyAsync(key, CancellationToken.None);

        Assert.True(await Store.SetEnabledAsync(Scope, key.KeyId, false, Now, CancellationToken.None));
        Assert.False((await Store.FindKeyAsync(Scope, key.KeyId, CancellationToken.None))!.Enabled);
        Assert.False(await Store.SetEnabledAsync(Scope, Guid.NewGuid().ToString("D"), false, Now, CancellationToken.None));
    }

    [StoreFact]
    public async Task Keys_are_listed_in_key_id_order_from_after_the_marker()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var key = NewKey();
            ids.Add(key.KeyId);
            await Store.InsertKeyAsync(key, CancellationToken.None);
        }

        ids.Sort(StringComparer.Ordinal);
        var first = await Store.ListKeysAsync(Scope, null, 2, CancellationToken.None);
        var rest = await Store.ListKeysAsync(Scope, first[^1].KeyId, 10, CancellationToken.None);

        Assert.Equal(ids, first.Concat(rest).Select(k => k.KeyId));
    }

    [StoreFact]
    public async Task Aliases_can_be_listed_for_one_target()
    {
        var one = NewKey();
        var two = NewKey();
        await Store.InsertKeyAsync(one, CancellationToken.None);
        await Store.InsertKeyAsync(two, CancellationToken.None);
        await Store.TryInsertAliasAsync(new AliasRecord(Scope, "alias/b", one.KeyId, Now, Now), CancellationToken.None);
        await Store.TryInsertAliasAsync(new AliasRecord(Scope, "alias/a", one.KeyId, Now, Now), CancellationToken.None);
        await Store.TryInsertAliasAsync(new AliasRecord(Scope, "alias/c", two.KeyId, Now, Now), CancellationToken.None);

        var all = await Store.ListAliasesAsync(Scope, null, null, 10, CancellationToken.None);
        var ofOne = await Store.ListAliasesAsync(Scope, one.KeyId, null, 10, CancellationToken.None);

        Assert.Equal(["alias/a", "alias/b", "alias/c"], all.Select(a => a.AliasName));
        Assert.Equal(["alias/a", "alias/b"], ofOne.Select(a => a.AliasName));
        Assert.Equal(Now, ofOne[0].CreatedAt);
    }

    [StoreFact]
    public async Task The_first_master_key_check_value_stays()
    {
        var first = await Store.GetOrAddMasterKeyCheckAsync([1, 1], Now, CancellationToken.None);
        var second = await Store.GetOrAddMasterKeyCheckAsync([2, 2], Now, CancellationToken.None);

        Assert.Equal(new byte[] { 1, 1 }, first);
        Assert.Equal(new byte[] { 1, 1 }, second);
    }
}
