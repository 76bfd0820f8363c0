using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Cairn.Storage.Changes;
using Cairn.Storage.Identity;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Identity;

/// <summary>
/// What every IIdentityStore (and the change feed registered with it) must do; each backend runs this suite through a
/// subclass. This file: users, access keys, sessions and change notification; the other parts hold the other families.
/// </summary>
public abstract partial class IdentityStoreContractTests
{
    protected const string Account = "111111111111";
    private const string OtherAccount = "222222222222";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    protected abstract IIdentityStore Store { get; }

    /// <summary>The feed the backend registers as <c>IChangeFeed&lt;IIdentityStore&gt;</c> for this store.</summary>
    protected abstract IChangeFeed<IIdentityStore> Changes { get; }

    private static CancellationToken None => CancellationToken.None;

    private static string Id(string prefix) => prefix + Guid.NewGuid().ToString("N")[..17].ToUpperInvariant();

    private static IamUser User(string name, string account = Account) =>
        new(account, name, Id("AIDA"), "/", $"arn:aws:iam::{account}:user/{name}", Now);

    private static AccessKeyInfo Key(string userName, string status = "Active") =>
        new(Id("AKIA")[..20], "secret-" + Guid.NewGuid().ToString("N"), Account, userName, status, Now);

    private static async Task<AwsException> FailsAsync(string code, Func<Task> write)
    {
        var error = await Assert.ThrowsAsync<AwsException>(write);
        Assert.Equal(code, error.Code);
        return error;
    }

    [StoreFact]
    public async Task A_created_user_is_found_by_its_name_in_any_case_and_only_in_its_account()
    {
        var user = User("Bob");
        await Store.CreateUserAsync(user, [new IamTag("team", "build")], None);

        Assert.Equal(user, await Store.FindUserAsync(Account, "Bob", None));
        Assert.Equal("Bob", (await Store.FindUserAsync(Account, "BOB", None))!.UserName);
        Assert.Null(await Store.FindUserAsync(OtherAccount, "Bob", None));
        Assert.Null(await Store.FindUserAsync(Account, "Bobby", None));
        Assert.Equal([new IamTag("team", "build")], await Store.ListTagsAsync(Account, IamEntityKind.User, "Bob", None));
    }

    [StoreFact]
    public async Task Users_are_listed_by_name_and_a_name_is_taken_whatever_its_case()
    {
        foreach (var name in new[] { "carol", "alice", "bob" })
        {
            await Store.CreateUserAsync(User(name), [], None);
        }

        await Store.CreateUserAsync(User("dave", OtherAccount), [], None);
        await FailsAsync("EntityAlreadyExists", () => Store.CreateUserAsync(User("ALICE"), [], None));

        Assert.Equal(["alice", "bob", "carol"], (await Store.ListUsersAsync(Account, None)).Select(u => u.UserName));
        Assert.Equal(["dave"], (await Store.ListUsersAsync(OtherAccount, None)).Select(u => u.UserName));
    }

    [StoreFact]
    public async Task A_user_with_access_keys_cannot_be_deleted_and_a_missing_one_is_no_such_entity()
    {
        await Store.CreateUserAsync(User("ann"), [], None);
        var key = Key("ann");
        await Store.CreateAccessKeyAsync(key, 2, None);

        await FailsAsync("DeleteConflict", () => Store.DeleteUserAsync(Account, "ann", None));
        await FailsAsync("NoSuchEntity", () => Store.DeleteUserAsync(Account, "nobody", None));
        await Store.DeleteAccessKeyAsync(Account, "ann", key.AccessKeyId, None);
        await Store.DeleteUserAsync(Account, "ann", None);

        Assert.Null(await Store.FindUserAsync(Account, "ann", None));
        Assert.Null(await Store.FindAccessKeyAsync(key.AccessKeyId, None));
    }

    [StoreFact]
    public async Task Access_keys_round_trip_with_their_secret_are_capped_per_user_and_change_status()
    {
        await Store.CreateUserAsync(User("ci"), [], None);
        var first = Key("ci");
        var second = Key("ci");
        await Store.CreateAccessKeyAsync(first, 2, None);
        await Store.CreateAccessKeyAsync(second, 2, None);

        await FailsAsync("LimitExceeded", () => Store.CreateAccessKeyAsync(Key("ci"), 2, None));
        await FailsAsync("NoSuchEntity", () => Store.CreateAccessKeyAsync(Key("ghost"), 2, None));
        Assert.Equal(first, await Store.FindAccessKeyAsync(first.AccessKeyId, None));
        Assert.Equal(
            new[] { first.AccessKeyId, second.AccessKeyId }.Order(StringComparer.Ordinal),
            (await Store.ListAccessKeysAsync(Account, "ci", None)).Select(k => k.AccessKeyId).Order(StringComparer.Ordinal));

        await Store.UpdateAccessKeyAsync(Account, "ci", first.AccessKeyId, "Inactive", None);

        Assert.False((await Store.FindAccessKeyAsync(first.AccessKeyId, None))!.IsActive);
        await FailsAsync("NoSuchEntity", () => Store.UpdateAccessKeyAsync(Account, "ci", "AKIAMISSINGMISSING00", "Inactive", None));
        await FailsAsync("NoSuchEntity", () => Store.DeleteAccessKeyAsync(Account, "ci", "AKIAMISSINGMISSING00", None));
    }

    [StoreFact]
    public async Task A_renamed_user_keeps_its_keys_groups_policies_and_tags()
    {
        await Store.CreateUserAsync(User("old"), [new IamTag("k", "v")], None);
        var key = Key("old");
        await Store.CreateAccessKeyAsync(key, 2, None);
        await Store.CreateGroupAsync(new IamGroup(Account, "devs", Id("AGPA"), "/", $"arn:aws:iam::{Account}:group/devs", Now), None);
        await Store.AddUserToGroupAsync(Account, "devs", "old", None);
        await Store.PutInlinePolicyAsync(Account, new InlinePolicy(IamEntityKind.User, "old", "p", "{}"), 2048, None);

        await Store.UpdateUserAsync(Account, "old", "new", "/team/", $"arn:aws:iam::{Account}:user/team/new", None);

        Assert.Null(await Store.FindUserAsync(Account, "old", None));
        var renamed = (await Store.FindUserAsync(Account, "new", None))!;
        Assert.Equal(("/team/", $"arn:aws:iam::{Account}:user/team/new"), (renamed.Path, renamed.Arn));
        Assert.Equal("new", (await Store.FindAccessKeyAsync(key.AccessKeyId, None))!.UserName);
        Assert.Equal(["new"], (await Store.ListGroupMembersAsync(Account, "devs", None)).Select(u => u.UserName));
        Assert.Equal(["p"], (await Store.ListInlinePoliciesAsync(Account, IamEntityKind.User, "new", None)).Select(p => p.PolicyName));
        Assert.Equal([new IamTag("k", "v")], await Store.ListTagsAsync(Account, IamEntityKind.User, "new", None));
    }

    [StoreFact]
    public async Task A_session_round_trips_and_only_expired_sessions_are_purged()
    {
        var past = Now.AddHours(-2);
        var expired = new RoleSession("ASIAOLDOLDOLDOLDOLD0", "s", "t", Account, "r", "arn", "s", "arn2", "id", past, past.AddHours(1));
        var live = new RoleSession("ASIALIVELIVELIVELIV0", "secret", "token", Account, "r", $"arn:aws:iam::{Account}:role/r", "s",
            $"arn:aws:sts::{Account}:assumed-role/r/s", "AROAX:s", Now, Now.AddHours(1), "{\"Version\":\"2012-10-17\"}");
        await Store.CreateSessionAsync(expired, None);
        await Store.CreateSessionAsync(live, None);

        var purged = await Store.PurgeExpiredSessionsAsync(Now, None);

        Assert.Equal(1, purged);
        Assert.Null(await Store.FindSessionAsync(expired.AccessKeyId, None));
        Assert.Equal(live, await Store.FindSessionAsync(live.AccessKeyId, None));
    }

    [StoreFact]
    public async Task Every_write_moves_the_change_feed_and_failed_writes_change_nothing()
    {
        var before = await Changes.CurrentAsync(None);

        await Store.CreateGroupAsync(new IamGroup(Account, "g", "AGPAX", "/", $"arn:aws:iam::{Account}:group/g", DateTimeOffset.UtcNow), None);
        var after = await Changes.CurrentAsync(None);
        await Assert.ThrowsAsync<AwsException>(() => Store.AddUserToGroupAsync(Account, "g", "ghost", None));

        Assert.True(after > before);
        Assert.Equal(after, await Changes.CurrentAsync(None));
        Assert.Empty(await Store.ListGroupMembersAsync(Account, "g", None));
    }
}
