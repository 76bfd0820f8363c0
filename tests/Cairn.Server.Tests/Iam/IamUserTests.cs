using System.Xml.Linq;
using Cairn.Core.Identity;
using static Cairn.Server.Tests.Iam.IdentityHarness;

namespace Cairn.Server.Tests.Iam;

public sealed class IamUserTests : IDisposable
{
    private readonly IdentityHarness _iam = new();

    public void Dispose() => _iam.Dispose();

    [Fact]
    public async Task Create_user_returns_the_user_with_an_AIDA_id_and_its_ARN()
    {
        var result = await _iam.CallIam("CreateUser", ("UserName", "bob"), ("Path", "/builders/"), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "red"));

        var user = result!.Element("User")!;
        Assert.Equal("CreateUserResult", result.Name.LocalName);
        Assert.Equal("bob", user.Element("UserName")!.Value);
        Assert.Equal("/builders/", user.Element("Path")!.Value);
        Assert.Equal($"arn:aws:iam::{Account}:user/builders/bob", user.Element("Arn")!.Value);
        Assert.StartsWith("AIDA", user.Element("UserId")!.Value, StringComparison.Ordinal);
        Assert.Equal("red", user.Descendants("Value").Single().Value);
    }

    [Fact]
    public async Task Creating_a_user_twice_fails_with_EntityAlreadyExists_ignoring_case()
    {
        await _iam.CallIam("CreateUser", ("UserName", "bob"));

        var error = await _iam.IamFails("CreateUser", ("UserName", "BOB"));

        Assert.Equal("EntityAlreadyExists", error.Code);
        Assert.Equal(409, error.HttpStatus);
        Assert.Equal("User with name BOB already exists.", error.Message);
    }

    [Fact]
    public async Task Update_user_renames_and_moves_a_user_and_its_keys_groups_policies_and_tags_follow()
    {
        await _iam.CallIam("CreateUser", ("UserName", "bob"), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "red"));
        await _iam.CallIam("CreateGroup", ("GroupName", "builders"));
        await _iam.CallIam("AddUserToGroup", ("GroupName", "builders"), ("UserName", "bob"));
        await _iam.CallIam("AttachUserPolicy", ("UserName", "bob"), ("PolicyArn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"));
        var key = IdentityHarness.Text(await _iam.CallIam("CreateAccessKey", ("UserName", "bob")), "AccessKeyId");

        await _iam.CallIam("UpdateUser", ("UserName", "bob"), ("NewUserName", "robert"), ("NewPath", "/ci/"));

        var user = (await _iam.CallIam("GetUser", ("UserName", "robert")))!.Element("User")!;
        Assert.Equal($"arn:aws:iam::{IdentityHarness.Account}:user/ci/robert", user.Element("Arn")!.Value);
        Assert.Equal("NoSuchEntity", (await _iam.IamFails("GetUser", ("UserName", "bob"))).Code);
        Assert.Contains(key, (await _iam.CallIam("ListAccessKeys", ("UserName", "robert")))!.ToString(), StringComparison.Ordinal);
        Assert.Contains("builders", (await _iam.CallIam("ListGroupsForUser", ("UserName", "robert")))!.ToString(), StringComparison.Ordinal);
        Assert.Contains("AmazonSSMReadOnlyAccess", (await _iam.CallIam("ListAttachedUserPolicies", ("UserName", "robert")))!.ToString(), StringComparison.Ordinal);
        Assert.Contains("red", (await _iam.CallIam("ListUserTags", ("UserName", "robert")))!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_user_to_a_taken_name_is_EntityAlreadyExists_and_a_missing_user_NoSuchEntity()
    {
        await _iam.CallIam("CreateUser", ("UserName", "ann"));
        await _iam.CallIam("CreateUser", ("UserName", "ben"));

        Assert.Equal("EntityAlreadyExists", (await _iam.IamFails("UpdateUser", ("UserName", "ann"), ("NewUserName", "BEN"))).Code);
        Assert.Equal("NoSuchEntity", (await _iam.IamFails("UpdateUser", ("UserName", "ghost"), ("NewUserName", "x"))).Code);
    }

    [Fact]
    public async Task Deleting_a_user_still_in_a_group_is_a_DeleteConflict()
    {
        await _iam.CallIam("CreateUser", ("UserName", "carl"));
        await _iam.CallIam("CreateGroup", ("GroupName", "ops"));
        await _iam.CallIam("AddUserToGroup", ("GroupName", "ops"), ("UserName", "carl"));

        var error = await _iam.IamFails("DeleteUser", ("UserName", "carl"));

        Assert.Equal("DeleteConflict", error.Code);
        Assert.Equal("Cannot delete entity, must remove user from all groups first.", error.Message);
        await _iam.CallIam("RemoveUserFromGroup", ("GroupName", "ops"), ("UserName", "carl"));
        await _iam.CallIam("DeleteUser", ("UserName", "carl"));
    }

    [Fact]
    public async Task Invalid_user_names_fail_validation()
    {
        var error = await _iam.IamFails("CreateUser", ("UserName", "bob smith"));

        Assert.Equal("ValidationError", error.Code);
        Assert.Equal(@"1 validation error detected: Value 'bob smith' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+", error.Message);
    }

    [Fact]
    public async Task Missing_user_is_NoSuchEntity_with_IAMs_text()
    {
        var error = await _iam.IamFails("GetUser", ("UserName", "nobody"));

        Assert.Equal("NoSuchEntity", error.Code);
        Assert.Equal(404, error.HttpStatus);
        Assert.Equal("The user with name nobody cannot be found.", error.Message);
    }

    [Fact]
    public async Task List_users_pages_with_a_marker()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            await _iam.CallIam("CreateUser", ("UserName", name));
        }

        var first = await _iam.CallIam("ListUsers", ("MaxItems", "2"));
        var second = await _iam.CallIam("ListUsers", ("MaxItems", "2"), ("Marker", first!.Element("Marker")!.Value));

        Assert.Equal(["a", "b"], first.Descendants("UserName").Select(e => e.Value));
        Assert.Equal("true", first.Element("IsTruncated")!.Value);
        Assert.Equal(["c"], second!.Descendants("UserName").Select(e => e.Value));
        Assert.Equal("false", second.Element("IsTruncated")!.Value);
        Assert.Null(second.Element("Marker"));
    }

    [Fact]
    public async Task A_user_may_have_at_most_two_access_keys()
    {
        await _iam.CallIam("CreateUser", ("UserName", "bob"));
        var key = await _iam.CallIam("CreateAccessKey", ("UserName", "bob"));
        await _iam.CallIam("CreateAccessKey", ("UserName", "bob"));

        var error = await _iam.IamFails("CreateAccessKey", ("UserName", "bob"));

        Assert.StartsWith("AKIA", Text(key, "AccessKeyId"), StringComparison.Ordinal);
        Assert.Equal(40, Text(key, "SecretAccessKey").Length);
        Assert.Equal("Active", Text(key, "Status"));
        Assert.Equal("LimitExceeded", error.Code);
        Assert.Equal("Cannot exceed quota for AccessKeysPerUser: 2", error.Message);
    }

    [Fact]
    public async Task Access_keys_resolve_to_the_user_and_inactive_keys_say_so()
    {
        var context = await _iam.UserContextAsync("bob");
        var resolver = _iam.Get<ICredentialResolver>();

        Assert.Equal(PrincipalKind.User, context.Principal.Kind);
        Assert.Equal($"arn:aws:iam::{Account}:user/bob", context.Principal.Arn);
        Assert.Equal("bob", context.Principal.Name);
        await _iam.CallIam("UpdateAccessKey", ("UserName", "bob"), ("AccessKeyId", context.AccessKeyId!), ("Status", "Inactive"));
        Assert.False((await resolver.FindAsync(context.AccessKeyId!, CancellationToken.None))!.Active);
        Assert.Null(await resolver.FindAsync("AKIAUNKNOWNUNKNOWN00", CancellationToken.None));
    }

    [Fact]
    public async Task The_root_credentials_still_resolve_to_root()
    {
        var credential = await _iam.Get<ICredentialResolver>().FindAsync("AKIAROOTROOTROOTROOT", CancellationToken.None);

        Assert.True(credential!.Principal.IsRoot);
    }

    [Fact]
    public async Task Deleting_a_user_with_access_keys_is_a_DeleteConflict()
    {
        await _iam.CallIam("CreateUser", ("UserName", "bob"));
        var key = await _iam.CallIam("CreateAccessKey", ("UserName", "bob"));

        var error = await _iam.IamFails("DeleteUser", ("UserName", "bob"));
        await _iam.CallIam("DeleteAccessKey", ("UserName", "bob"), ("AccessKeyId", Text(key, "AccessKeyId")));
        await _iam.CallIam("DeleteUser", ("UserName", "bob"));

        Assert.Equal("DeleteConflict", error.Code);
        Assert.Equal("Cannot delete entity, must delete access keys first.", error.Message);
        Assert.Empty((await _iam.CallIam("ListUsers"))!.Descendants("UserName"));
    }

    [Fact]
    public async Task List_access_keys_shows_metadata_without_secrets()
    {
        await _iam.CallIam("CreateUser", ("UserName", "bob"));
        await _iam.CallIam("CreateAccessKey", ("UserName", "bob"));

        var result = await _iam.CallIam("ListAccessKeys", ("UserName", "bob"));

        Assert.Single(result!.Descendants("AccessKeyId"));
        Assert.Empty(result.Descendants("SecretAccessKey"));
    }

    [Fact]
    public async Task Tags_are_added_replaced_ignoring_key_case_and_removed()
    {
        await _iam.CallIam("CreateUser", ("UserName", "bob"));
        await _iam.CallIam("TagUser", ("UserName", "bob"), ("Tags.member.1.Key", "Team"), ("Tags.member.1.Value", "red"));
        await _iam.CallIam("TagUser", ("UserName", "bob"), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "blue"), ("Tags.member.2.Key", "cost"), ("Tags.member.2.Value", "1"));
        await _iam.CallIam("UntagUser", ("UserName", "bob"), ("TagKeys.member.1", "COST"));

        var tags = await _iam.CallIam("ListUserTags", ("UserName", "bob"));
        var duplicate = await _iam.IamFails("TagUser", ("UserName", "bob"), ("Tags.member.1.Key", "a"), ("Tags.member.1.Value", "1"), ("Tags.member.2.Key", "A"), ("Tags.member.2.Value", "2"));

        Assert.Equal([("team", "blue")], tags!.Descendants("member").Select(m => (m.Element("Key")!.Value, m.Element("Value")!.Value)));
        Assert.Equal("InvalidInput", duplicate.Code);
        Assert.Equal("Duplicate tag keys found. Please note that Tag keys are case insensitive.", duplicate.Message);
    }

    [Fact]
    public async Task Unknown_actions_are_InvalidAction_with_awss_text_and_the_actions_cairn_serves()
    {
        var error = await _iam.IamFails("CreateUnicorn");

        Assert.Equal("InvalidAction", error.Code);
        Assert.StartsWith("Could not find operation CreateUnicorn for version 2010-05-08. Cairn's IAM serves: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("CreateRole", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Groups_hold_users_and_refuse_deletion_while_they_do()
    {
        await _iam.CallIam("CreateUser", ("UserName", "bob"));
        await _iam.CallIam("CreateGroup", ("GroupName", "builders"));
        await _iam.CallIam("AddUserToGroup", ("GroupName", "builders"), ("UserName", "bob"));

        var group = await _iam.CallIam("GetGroup", ("GroupName", "builders"));
        var forUser = await _iam.CallIam("ListGroupsForUser", ("UserName", "bob"));
        var error = await _iam.IamFails("DeleteGroup", ("GroupName", "builders"));

        Assert.Equal(["bob"], group!.Descendants("UserName").Select(e => e.Value));
        Assert.Equal(["builders"], forUser!.Descendants("GroupName").Select(e => e.Value));
        Assert.Equal("Cannot delete entity, must remove users from group first.", error.Message);
        await _iam.CallIam("RemoveUserFromGroup", ("GroupName", "builders"), ("UserName", "bob"));
        await _iam.CallIam("DeleteGroup", ("GroupName", "builders"));
    }
}
