using Cairn.Core.Identity.Iam;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Identity;

/// <summary>Permissions boundaries of users and roles.</summary>
public abstract partial class IdentityStoreContractTests
{
    [StoreFact]
    public async Task A_boundary_set_on_create_or_later_is_read_back_follows_a_rename_and_is_removed()
    {
        var boundary = $"arn:aws:iam::{Account}:policy/bound";
        await Store.CreateUserAsync(User("bounded") with { PermissionsBoundary = boundary }, [], None);
        await Store.CreateRoleAsync(Role("plain-role"), [], None);

        await Store.SetPermissionsBoundaryAsync(Account, IamEntityKind.Role, "PLAIN-ROLE", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess", None);
        await Store.UpdateUserAsync(Account, "bounded", "renamed", null, $"arn:aws:iam::{Account}:user/renamed", None);

        Assert.Equal(boundary, (await Store.FindUserAsync(Account, "renamed", None))!.PermissionsBoundary);
        Assert.Equal(boundary, Assert.Single(await Store.ListUsersAsync(Account, None)).PermissionsBoundary);
        Assert.Equal("arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess", (await Store.FindRoleAsync(Account, "plain-role", None))!.PermissionsBoundary);

        await Store.SetPermissionsBoundaryAsync(Account, IamEntityKind.User, "renamed", null, None);
        await Store.SetPermissionsBoundaryAsync(Account, IamEntityKind.Role, "plain-role", null, None);
        Assert.Null((await Store.FindUserAsync(Account, "renamed", None))!.PermissionsBoundary);
        Assert.Null((await Store.FindRoleAsync(Account, "plain-role", None))!.PermissionsBoundary);
        await FailsAsync("NoSuchEntity", () => Store.SetPermissionsBoundaryAsync(Account, IamEntityKind.User, "ghost", boundary, None));
    }

    [StoreFact]
    public async Task A_policy_in_use_as_a_boundary_cannot_be_deleted()
    {
        var policy = Policy("bound");
        await Store.CreatePolicyAsync(policy, "{}", [], None);
        await Store.CreateRoleAsync(Role("r") with { PermissionsBoundary = policy.Arn }, [], None);
        var before = await Changes.CurrentAsync(None);

        await FailsAsync("DeleteConflict", () => Store.DeletePolicyAsync(policy.Arn, None));
        await Store.SetPermissionsBoundaryAsync(Account, IamEntityKind.Role, "r", null, None);
        await Store.DeletePolicyAsync(policy.Arn, None);

        Assert.True(await Changes.CurrentAsync(None) > before);
        Assert.Null(await Store.FindPolicyAsync(policy.Arn, None));
    }
}
