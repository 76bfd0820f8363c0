using Cairn.Core.Identity.Iam;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Identity;

/// <summary>The contract for instance profiles: one per name, one role each, and the delete conflicts with roles.</summary>
public abstract partial class IdentityStoreContractTests
{
    private static InstanceProfile InstanceProfileNamed(string name) =>
        new(Account, name, "AIPA" + name.ToUpperInvariant(), "/", $"arn:aws:iam::{Account}:instance-profile/{name}", Now, []);

    [StoreFact]
    public async Task An_instance_profile_holds_one_role_and_neither_is_deleted_while_joined()
    {
        await Store.CreateRoleAsync(Role("web"), [], None);
        await Store.CreateRoleAsync(Role("spare"), [], None);
        await Store.CreateInstanceProfileAsync(InstanceProfileNamed("Web-Profile"), [new IamTag("k", "v")], None);
        var exists = await FailsAsync("EntityAlreadyExists", () => Store.CreateInstanceProfileAsync(InstanceProfileNamed("web-profile"), [], None));
        Assert.Equal("Instance Profile web-profile already exists.", exists.Message);

        await Store.AddRoleToInstanceProfileAsync(Account, "web-profile", "WEB", None);
        await FailsAsync("LimitExceeded", () => Store.AddRoleToInstanceProfileAsync(Account, "web-profile", "spare", None));
        await FailsAsync("NoSuchEntity", () => Store.AddRoleToInstanceProfileAsync(Account, "ghost-profile", "spare", None));
        Assert.Equal(["web"], (await Store.FindInstanceProfileAsync(Account, "WEB-PROFILE", None))!.RoleNames);
        Assert.Equal(["Web-Profile"], (await Store.ListInstanceProfilesForRoleAsync(Account, "web", None)).Select(p => p.InstanceProfileName));
        Assert.Empty(await Store.ListInstanceProfilesForRoleAsync(Account, "spare", None));
        Assert.Equal([new IamTag("k", "v")], await Store.ListTagsAsync(Account, IamEntityKind.InstanceProfile, "Web-Profile", None));

        Assert.Equal("Cannot delete entity, must remove roles from instance profile first.",
            (await FailsAsync("DeleteConflict", () => Store.DeleteRoleAsync(Account, "web", None))).Message);
        await FailsAsync("DeleteConflict", () => Store.DeleteInstanceProfileAsync(Account, "web-profile", None));

        await Store.RemoveRoleFromInstanceProfileAsync(Account, "web-profile", "web", None);
        await FailsAsync("NoSuchEntity", () => Store.RemoveRoleFromInstanceProfileAsync(Account, "web-profile", "web", None));
        await Store.DeleteRoleAsync(Account, "web", None);
        await Store.DeleteInstanceProfileAsync(Account, "web-profile", None);
        Assert.Null(await Store.FindInstanceProfileAsync(Account, "web-profile", None));
        Assert.Empty(await Store.ListInstanceProfilesAsync(Account, None));
        Assert.Empty(await Store.ListTagsAsync(Account, IamEntityKind.InstanceProfile, "Web-Profile", None));
    }
}
