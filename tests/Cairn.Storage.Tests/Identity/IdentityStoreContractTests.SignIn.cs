using Cairn.Core.Identity.Iam;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Identity;

/// <summary>The contract for console sign-in: login profiles, password history, the password policy and account aliases.</summary>
public abstract partial class IdentityStoreContractTests
{
    private static LoginProfile Profile(string userName, string hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA", bool reset = false) =>
        new(Account, userName, hash, reset, Now, Now);

    [StoreFact]
    public async Task A_login_profile_round_trips_once_per_user_and_only_for_a_user_that_exists()
    {
        await FailsAsync("NoSuchEntity", () => Store.CreateLoginProfileAsync(Profile("ghost"), None));
        await Store.CreateUserAsync(User("Ann"), [], None);
        await Store.CreateLoginProfileAsync(Profile("ann", reset: true), None);

        Assert.Equal(Profile("Ann", reset: true), await Store.FindLoginProfileAsync(Account, "ANN", None));
        Assert.Null(await Store.FindLoginProfileAsync(OtherAccount, "Ann", None));
        var exists = await FailsAsync("EntityAlreadyExists", () => Store.CreateLoginProfileAsync(Profile("Ann"), None));
        Assert.Equal("Login Profile for user Ann already exists.", exists.Message);
    }

    [StoreFact]
    public async Task Updating_a_password_keeps_the_replaced_hashes_newest_first_up_to_the_number_kept()
    {
        await Store.CreateUserAsync(User("ann"), [], None);
        await Store.CreateLoginProfileAsync(Profile("ann", "h0"), None);
        for (var i = 1; i <= 4; i++)
        {
            await Store.UpdateLoginProfileAsync(Account, "ann", $"h{i}", null, 3, Now.AddDays(i), None);
        }

        var profile = await Store.FindLoginProfileAsync(Account, "ann", None);
        Assert.Equal(("h4", Now.AddDays(4), Now), (profile!.PasswordHash, profile.PasswordChangedAt, profile.CreateDate));
        Assert.Equal(["h3", "h2", "h1"], await Store.ListPasswordHistoryAsync(Account, "ann", 10, None));
        Assert.Equal(["h3"], await Store.ListPasswordHistoryAsync(Account, "ann", 1, None));

        await Store.UpdateLoginProfileAsync(Account, "ann", null, true, 3, Now.AddDays(9), None);
        Assert.Equal(profile with { PasswordResetRequired = true }, await Store.FindLoginProfileAsync(Account, "ann", None));
        await FailsAsync("NoSuchEntity", () => Store.UpdateLoginProfileAsync(Account, "bob", "h", null, 3, Now, None));
    }

    [StoreFact]
    public async Task A_user_with_a_login_profile_cannot_be_deleted_until_the_profile_is()
    {
        await Store.CreateUserAsync(User("ann"), [], None);
        await Store.CreateLoginProfileAsync(Profile("ann"), None);

        var conflict = await FailsAsync("DeleteConflict", () => Store.DeleteUserAsync(Account, "ann", None));
        Assert.Equal("Cannot delete entity, must delete login profile first.", conflict.Message);

        await Store.DeleteLoginProfileAsync(Account, "ANN", None);
        Assert.Null(await Store.FindLoginProfileAsync(Account, "ann", None));
        var missing = await FailsAsync("NoSuchEntity", () => Store.DeleteLoginProfileAsync(Account, "ann", None));
        Assert.Equal("Login Profile for User ann cannot be found.", missing.Message);
        await Store.DeleteUserAsync(Account, "ann", None);
        Assert.Equal("The user with name ann cannot be found.", (await FailsAsync("NoSuchEntity", () => Store.DeleteLoginProfileAsync(Account, "ann", None))).Message);
    }

    [StoreFact]
    public async Task A_renamed_user_keeps_its_login_profile_and_password_history()
    {
        await Store.CreateUserAsync(User("ann"), [], None);
        await Store.CreateLoginProfileAsync(Profile("ann", "h0"), None);
        await Store.UpdateLoginProfileAsync(Account, "ann", "h1", null, 24, Now, None);

        await Store.UpdateUserAsync(Account, "ann", "anna", null, $"arn:aws:iam::{Account}:user/anna", None);

        Assert.Null(await Store.FindLoginProfileAsync(Account, "ann", None));
        Assert.Equal("h1", (await Store.FindLoginProfileAsync(Account, "anna", None))!.PasswordHash);
        Assert.Equal(["h0"], await Store.ListPasswordHistoryAsync(Account, "anna", 24, None));
    }

    [StoreFact]
    public async Task The_password_policy_is_per_account_replaced_whole_and_deleted_once()
    {
        Assert.Null(await Store.FindPasswordPolicyAsync(Account, None));
        var policy = new PasswordPolicy(14, true, true, true, true, true, 90, 5, true);
        await Store.PutPasswordPolicyAsync(Account, policy, None);
        Assert.Equal(policy, await Store.FindPasswordPolicyAsync(Account, None));
        Assert.Null(await Store.FindPasswordPolicyAsync(OtherAccount, None));

        await Store.PutPasswordPolicyAsync(Account, new PasswordPolicy(8), None);
        Assert.Equal(new PasswordPolicy(8), await Store.FindPasswordPolicyAsync(Account, None));

        await Store.DeletePasswordPolicyAsync(Account, None);
        Assert.Null(await Store.FindPasswordPolicyAsync(Account, None));
        var missing = await FailsAsync("NoSuchEntity", () => Store.DeletePasswordPolicyAsync(Account, None));
        Assert.Equal($"The Password Policy with domain name {Account} cannot be found.", missing.Message);
    }

    [StoreFact]
    public async Task An_account_has_one_alias_that_no_other_account_may_take()
    {
        await Store.SetAccountAliasAsync(Account, "build-team", None);
        Assert.Equal("build-team", await Store.FindAccountAliasAsync(Account, None));
        Assert.Equal(Account, await Store.FindAccountByAliasAsync("build-team", None));
        await FailsAsync("EntityAlreadyExists", () => Store.SetAccountAliasAsync(OtherAccount, "build-team", None));

        await Store.SetAccountAliasAsync(Account, "build-team", None);
        await Store.SetAccountAliasAsync(Account, "platform", None);
        Assert.Equal("platform", await Store.FindAccountAliasAsync(Account, None));
        Assert.Null(await Store.FindAccountByAliasAsync("build-team", None));

        await FailsAsync("NoSuchEntity", () => Store.DeleteAccountAliasAsync(Account, "build-team", None));
        await Store.DeleteAccountAliasAsync(Account, "platform", None);
        Assert.Null(await Store.FindAccountAliasAsync(Account, None));
        await Store.SetAccountAliasAsync(OtherAccount, "platform", None);
        Assert.Equal(OtherAccount, await Store.FindAccountByAliasAsync("platform", None));
    }
}
