using Cairn.Core.Identity.Iam;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Identity;

/// <summary>The contract for managed policies and their versions, attachments, inline policies and tags.</summary>
public abstract partial class IdentityStoreContractTests
{
    private const string ReadOnlyAccess = "arn:aws:iam::aws:policy/ReadOnlyAccess";

    private static ManagedPolicyInfo Policy(string name) =>
        new($"arn:aws:iam::{Account}:policy/{name}", Account, name, Id("ANPA"), "/", "v1", "a policy", Now, Now);

    [StoreFact]
    public async Task Policy_versions_are_numbered_listed_newest_first_capped_and_the_default_is_kept()
    {
        var policy = Policy("deploy");
        await Store.CreatePolicyAsync(policy, "{\"v\":1}", [], None);
        Assert.Equal(policy, await Store.FindPolicyAsync(policy.Arn, None));

        var second = await Store.CreatePolicyVersionAsync(policy.Arn, "{\"v\":2}", setAsDefault: true, 3, Now.AddMinutes(1), None);
        await Store.CreatePolicyVersionAsync(policy.Arn, "{\"v\":3}", setAsDefault: false, 3, Now.AddMinutes(2), None);

        Assert.Equal("v2", second.VersionId);
        await FailsAsync("LimitExceeded", () => Store.CreatePolicyVersionAsync(policy.Arn, "{}", false, 3, Now, None));
        Assert.Equal("v2", (await Store.FindPolicyAsync(policy.Arn, None))!.DefaultVersionId);
        var versions = await Store.ListPolicyVersionsAsync(policy.Arn, None);
        Assert.Equal(["v3", "v2", "v1"], versions.Select(v => v.VersionId));
        Assert.Equal([false, true, false], versions.Select(v => v.IsDefaultVersion));
        Assert.Equal("{\"v\":1}", (await Store.FindPolicyVersionAsync(policy.Arn, "v1", None))!.Document);

        await FailsAsync("DeleteConflict", () => Store.DeletePolicyVersionAsync(policy.Arn, "v2", None));
        await FailsAsync("DeleteConflict", () => Store.DeletePolicyAsync(policy.Arn, None));
        await Store.SetDefaultPolicyVersionAsync(policy.Arn, "v3", Now, None);
        await Store.DeletePolicyVersionAsync(policy.Arn, "v1", None);
        await Store.DeletePolicyVersionAsync(policy.Arn, "v2", None);
        Assert.Null(await Store.FindPolicyVersionAsync(policy.Arn, "v1", None));
        await Store.DeletePolicyAsync(policy.Arn, None);
        Assert.Null(await Store.FindPolicyAsync(policy.Arn, None));
        await FailsAsync("EntityAlreadyExists", async () =>
        {
            await Store.CreatePolicyAsync(Policy("twice"), "{}", [], None);
            await Store.CreatePolicyAsync(Policy("twice"), "{}", [], None);
        });
    }

    [StoreFact]
    public async Task Attachments_keep_their_order_ignore_repeats_are_capped_and_block_deleting_the_policy()
    {
        var policy = Policy("mine");
        await Store.CreatePolicyAsync(policy, "{}", [], None);
        await Store.CreateRoleAsync(Role("r"), [], None);
        await Store.CreateUserAsync(User("u"), [], None);

        await Store.AttachPolicyAsync(Account, IamEntityKind.Role, "r", policy.Arn, 2, None);
        await Store.AttachPolicyAsync(Account, IamEntityKind.Role, "r", ReadOnlyAccess, 2, None);
        await Store.AttachPolicyAsync(Account, IamEntityKind.Role, "r", policy.Arn, 2, None);
        await Store.AttachPolicyAsync(Account, IamEntityKind.User, "u", policy.Arn, 2, None);

        Assert.Equal([policy.Arn, ReadOnlyAccess], await Store.ListAttachedPoliciesAsync(Account, IamEntityKind.Role, "r", None));
        Assert.Equal(
            new[] { (IamEntityKind.User, "u"), (IamEntityKind.Role, "r") },
            (await Store.ListEntitiesForPolicyAsync(Account, policy.Arn, None)).OrderBy(e => e.Kind).Select(e => (e.Kind, e.EntityName)));
        var third = Policy("third");
        await Store.CreatePolicyAsync(third, "{}", [], None);
        await FailsAsync("LimitExceeded", () => Store.AttachPolicyAsync(Account, IamEntityKind.Role, "r", third.Arn, 2, None));
        await FailsAsync("DeleteConflict", () => Store.DeletePolicyAsync(policy.Arn, None));
        await FailsAsync("DeleteConflict", () => Store.DeleteRoleAsync(Account, "r", None));

        await Store.DetachPolicyAsync(Account, IamEntityKind.Role, "r", policy.Arn, None);
        await FailsAsync("NoSuchEntity", () => Store.DetachPolicyAsync(Account, IamEntityKind.Role, "r", policy.Arn, None));
        await FailsAsync("NoSuchEntity", () => Store.AttachPolicyAsync(Account, IamEntityKind.Role, "missing", policy.Arn, 2, None));
        Assert.Equal([ReadOnlyAccess], await Store.ListAttachedPoliciesAsync(Account, IamEntityKind.Role, "r", None));
    }

    [StoreFact]
    public async Task Inline_policies_are_replaced_by_name_listed_by_name_and_capped_by_total_size()
    {
        await Store.CreateGroupAsync(Group("g"), None);
        await Store.PutInlinePolicyAsync(Account, new InlinePolicy(IamEntityKind.Group, "g", "zeta", "{\"a\": 1}"), 40, None);
        await Store.PutInlinePolicyAsync(Account, new InlinePolicy(IamEntityKind.Group, "g", "alpha", "{}"), 40, None);
        await Store.PutInlinePolicyAsync(Account, new InlinePolicy(IamEntityKind.Group, "g", "zeta", "{\"a\": 2}"), 40, None);

        Assert.Equal(["alpha", "zeta"], (await Store.ListInlinePoliciesAsync(Account, IamEntityKind.Group, "g", None)).Select(p => p.PolicyName));
        Assert.Equal("{\"a\": 2}", (await Store.FindInlinePolicyAsync(Account, IamEntityKind.Group, "g", "zeta", None))!.Document);
        Assert.Null(await Store.FindInlinePolicyAsync(Account, IamEntityKind.Group, "g", "missing", None));
        await FailsAsync("LimitExceeded", () => Store.PutInlinePolicyAsync(
            Account, new InlinePolicy(IamEntityKind.Group, "g", "big", "{\"" + new string('x', 40) + "\": 1}"), 40, None));
        await FailsAsync("NoSuchEntity", () => Store.DeleteInlinePolicyAsync(Account, IamEntityKind.Group, "g", "missing", None));
        await FailsAsync("NoSuchEntity", () => Store.PutInlinePolicyAsync(Account, new InlinePolicy(IamEntityKind.Group, "nope", "p", "{}"), 40, None));

        await Store.DeleteInlinePolicyAsync(Account, IamEntityKind.Group, "g", "zeta", None);
        Assert.Equal(["alpha"], (await Store.ListInlinePoliciesAsync(Account, IamEntityKind.Group, "g", None)).Select(p => p.PolicyName));
    }

    [StoreFact]
    public async Task Tags_keep_their_order_are_overwritten_by_key_in_any_case_and_are_capped()
    {
        var policy = Policy("tagged");
        await Store.CreatePolicyAsync(policy, "{}", [new IamTag("team", "a")], None);

        await Store.TagAsync(Account, IamEntityKind.Policy, policy.Arn, [new IamTag("env", "dev"), new IamTag("TEAM", "b")], 3, None);
        Assert.Equal([new IamTag("TEAM", "b"), new IamTag("env", "dev")], await Store.ListTagsAsync(Account, IamEntityKind.Policy, policy.Arn, None));

        await FailsAsync("LimitExceeded", () => Store.TagAsync(Account, IamEntityKind.Policy, policy.Arn, [new IamTag("x", "1"), new IamTag("y", "2")], 3, None));
        Assert.Equal(2, (await Store.ListTagsAsync(Account, IamEntityKind.Policy, policy.Arn, None)).Count);

        await Store.UntagAsync(Account, IamEntityKind.Policy, policy.Arn, ["team", "absent"], None);
        Assert.Equal([new IamTag("env", "dev")], await Store.ListTagsAsync(Account, IamEntityKind.Policy, policy.Arn, None));
        await FailsAsync("NoSuchEntity", () => Store.TagAsync(Account, IamEntityKind.User, "nobody", [new IamTag("k", "v")], 3, None));
    }
}
