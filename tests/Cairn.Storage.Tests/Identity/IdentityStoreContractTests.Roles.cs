using Cairn.Core.Identity.Iam;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Identity;

/// <summary>The contract for roles and groups.</summary>
public abstract partial class IdentityStoreContractTests
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private static IamRole Role(string name) =>
        new(Account, name, Id("AROA"), "/", $"arn:aws:iam::{Account}:role/{name}", Now, Trust, "builds", 3600);

    private static IamGroup Group(string name) => new(Account, name, Id("AGPA"), "/", $"arn:aws:iam::{Account}:group/{name}", Now);

    [StoreFact]
    public async Task A_role_round_trips_and_its_description_duration_trust_policy_and_last_use_change()
    {
        var role = Role("builder");
        await Store.CreateRoleAsync(role, [], None);
        Assert.Equal(role, await Store.FindRoleAsync(Account, "BUILDER", None));
        await FailsAsync("EntityAlreadyExists", () => Store.CreateRoleAsync(Role("Builder"), [], None));

        await Store.UpdateRoleAsync(Account, "builder", "deploys", null, None);
        await Store.UpdateRoleAsync(Account, "builder", null, 7200, None);
        await Store.UpdateTrustPolicyAsync(Account, "builder", "{}", None);
        await Store.RecordRoleUseAsync(Account, "builder", Now.AddMinutes(5), "eu-west-1", None);

        Assert.Equal(
            role with { Description = "deploys", MaxSessionDuration = 7200, AssumeRolePolicyDocument = "{}", LastUsedDate = Now.AddMinutes(5), LastUsedRegion = "eu-west-1" },
            await Store.FindRoleAsync(Account, "builder", None));
        await FailsAsync("NoSuchEntity", () => Store.UpdateTrustPolicyAsync(Account, "missing", "{}", None));
    }

    [StoreFact]
    public async Task A_role_with_policies_cannot_be_deleted_and_roles_are_listed_by_name()
    {
        await Store.CreateRoleAsync(Role("b-role"), [], None);
        await Store.CreateRoleAsync(Role("a-role"), [], None);
        await Store.PutInlinePolicyAsync(Account, new InlinePolicy(IamEntityKind.Role, "b-role", "inline", "{}"), 10240, None);

        Assert.Equal(["a-role", "b-role"], (await Store.ListRolesAsync(Account, None)).Select(r => r.RoleName));
        await FailsAsync("DeleteConflict", () => Store.DeleteRoleAsync(Account, "b-role", None));
        await Store.DeleteInlinePolicyAsync(Account, IamEntityKind.Role, "b-role", "inline", None);
        await Store.DeleteRoleAsync(Account, "b-role", None);

        Assert.Null(await Store.FindRoleAsync(Account, "b-role", None));
        await FailsAsync("NoSuchEntity", () => Store.DeleteRoleAsync(Account, "b-role", None));
    }

    [StoreFact]
    public async Task Group_membership_is_seen_from_both_sides_and_a_group_with_members_cannot_be_deleted()
    {
        await Store.CreateUserAsync(User("ann"), [], None);
        await Store.CreateUserAsync(User("bob"), [], None);
        await Store.CreateGroupAsync(Group("ops"), None);
        await Store.CreateGroupAsync(Group("devs"), None);
        await Store.AddUserToGroupAsync(Account, "devs", "bob", None);
        await Store.AddUserToGroupAsync(Account, "devs", "ann", None);
        await Store.AddUserToGroupAsync(Account, "ops", "ann", None);

        Assert.Equal(["ann", "bob"], (await Store.ListGroupMembersAsync(Account, "devs", None)).Select(u => u.UserName));
        Assert.Equal(["devs", "ops"], (await Store.ListGroupsForUserAsync(Account, "ann", None)).Select(g => g.GroupName));
        Assert.Equal(["devs", "ops"], (await Store.ListGroupsAsync(Account, None)).Select(g => g.GroupName));
        await FailsAsync("DeleteConflict", () => Store.DeleteGroupAsync(Account, "ops", None));
        await FailsAsync("NoSuchEntity", () => Store.AddUserToGroupAsync(Account, "ops", "ghost", None));

        await Store.RemoveUserFromGroupAsync(Account, "ops", "ann", None);
        await FailsAsync("NoSuchEntity", () => Store.RemoveUserFromGroupAsync(Account, "ops", "ann", None));
        await Store.DeleteGroupAsync(Account, "ops", None);

        Assert.Null(await Store.FindGroupAsync(Account, "ops", None));
        Assert.Equal(["devs"], (await Store.ListGroupsForUserAsync(Account, "ann", None)).Select(g => g.GroupName));
    }

    [StoreFact]
    public async Task A_renamed_group_keeps_its_members_policies_and_tags_and_a_taken_name_is_refused()
    {
        await Store.CreateUserAsync(User("ann"), [], None);
        await Store.CreateGroupAsync(Group("old"), None);
        await Store.CreateGroupAsync(Group("taken"), None);
        await Store.AddUserToGroupAsync(Account, "old", "ann", None);
        await Store.PutInlinePolicyAsync(Account, new InlinePolicy(IamEntityKind.Group, "old", "p", "{}"), 5120, None);
        await Store.AttachPolicyAsync(Account, IamEntityKind.Group, "old", "arn:aws:iam::aws:policy/ReadOnlyAccess", 10, None);
        await Store.TagAsync(Account, IamEntityKind.Group, "old", [new IamTag("k", "v")], 50, None);

        await FailsAsync("EntityAlreadyExists", () => Store.UpdateGroupAsync(Account, "old", "TAKEN", null, $"arn:aws:iam::{Account}:group/TAKEN", None));
        await FailsAsync("NoSuchEntity", () => Store.UpdateGroupAsync(Account, "missing", "x", null, $"arn:aws:iam::{Account}:group/x", None));
        await Store.UpdateGroupAsync(Account, "OLD", "new", "/team/", $"arn:aws:iam::{Account}:group/team/new", None);

        Assert.Null(await Store.FindGroupAsync(Account, "old", None));
        var renamed = (await Store.FindGroupAsync(Account, "new", None))!;
        Assert.Equal(("new", "/team/", $"arn:aws:iam::{Account}:group/team/new"), (renamed.GroupName, renamed.Path, renamed.Arn));
        Assert.Equal(["ann"], (await Store.ListGroupMembersAsync(Account, "new", None)).Select(u => u.UserName));
        Assert.Equal(["new", "taken"], (await Store.ListGroupsAsync(Account, None)).Select(g => g.GroupName));
        Assert.Equal(["p"], (await Store.ListInlinePoliciesAsync(Account, IamEntityKind.Group, "new", None)).Select(p => p.PolicyName));
        Assert.Equal(["arn:aws:iam::aws:policy/ReadOnlyAccess"], await Store.ListAttachedPoliciesAsync(Account, IamEntityKind.Group, "new", None));
        Assert.Equal([new IamTag("k", "v")], await Store.ListTagsAsync(Account, IamEntityKind.Group, "new", None));

        await Store.UpdateGroupAsync(Account, "new", null, "/", $"arn:aws:iam::{Account}:group/new", None);
        Assert.Equal("/", (await Store.FindGroupAsync(Account, "new", None))!.Path);
    }
}
