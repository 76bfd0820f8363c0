using System.Xml.Linq;
using Cairn.Core.Errors;
using static Cairn.Server.Tests.Iam.IdentityHarness;

namespace Cairn.Server.Tests.Iam;

/// <summary>IAM UpdateGroup (members and policies follow the group) and GetAccountSummary.</summary>
public sealed class GroupUpdateAndSummaryTests : IDisposable
{
    private readonly IdentityHarness _iam = new();

    public void Dispose() => _iam.Dispose();

    [Fact]
    public async Task A_renamed_and_moved_group_keeps_its_members_and_their_rights()
    {
        var bob = await _iam.UserContextAsync("bob");
        await _iam.CallIam("CreateGroup", ("GroupName", "devs"));
        await _iam.CallIam("AddUserToGroup", ("GroupName", "devs"), ("UserName", "bob"));
        await _iam.CallIam("AttachGroupPolicy", ("GroupName", "devs"), ("PolicyArn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"));

        await _iam.CallIam("UpdateGroup", ("GroupName", "devs"), ("NewGroupName", "developers"), ("NewPath", "/team/"));

        var group = await _iam.CallIam("GetGroup", ("GroupName", "developers"));
        Assert.Equal($"arn:aws:iam::{Account}:group/team/developers", Text(group, "Arn"));
        Assert.Equal("/team/", Text(group, "Path"));
        Assert.Equal(["bob"], group!.Descendants("Users").Descendants("UserName").Select(e => e.Value));
        Assert.Equal("NoSuchEntity", (await _iam.IamFails("GetGroup", ("GroupName", "devs"))).Code);
        await _iam.Get<Cairn.Core.Identity.IAuthorizer>().AuthorizeAsync(bob, "ssm:GetParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/x", CancellationToken.None);
    }

    [Fact]
    public async Task UpdateGroup_of_a_missing_group_is_NoSuchEntity_and_to_a_taken_name_EntityAlreadyExists()
    {
        await _iam.CallIam("CreateGroup", ("GroupName", "a"));
        await _iam.CallIam("CreateGroup", ("GroupName", "b"));

        var missing = await _iam.IamFails("UpdateGroup", ("GroupName", "nope"), ("NewGroupName", "x"));
        var taken = await _iam.IamFails("UpdateGroup", ("GroupName", "a"), ("NewGroupName", "B"));

        Assert.Equal(("NoSuchEntity", "The group with name nope cannot be found."), (missing.Code, missing.Message));
        Assert.Equal(("EntityAlreadyExists", "Group with name B already exists."), (taken.Code, taken.Message));
    }

    [Theory]
    [InlineData("NewGroupName", "bad name")]
    [InlineData("NewPath", "no-slashes")]
    public async Task UpdateGroup_checks_the_new_name_and_path(string member, string value)
    {
        await _iam.CallIam("CreateGroup", ("GroupName", "a"));

        var error = await _iam.IamFails("UpdateGroup", ("GroupName", "a"), (member, value));

        Assert.Equal("ValidationError", error.Code);
    }

    [Fact]
    public async Task UpdateGroup_needs_permission_on_the_new_name_too()
    {
        await _iam.CallIam("CreateGroup", ("GroupName", "a"));
        var bob = await _iam.UserContextAsync("bob");
        await _iam.CallIam("PutUserPolicy", ("UserName", "bob"), ("PolicyName", "p"), ("PolicyDocument",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:UpdateGroup","Resource":"arn:aws:iam::{{Account}}:group/a"}]}"""));

        var error = await _iam.IamFails(bob, "UpdateGroup", ("GroupName", "a"), ("NewGroupName", "b"));

        Assert.Equal("AccessDenied", error.Code);
        Assert.Contains($"iam:UpdateGroup on resource: arn:aws:iam::{Account}:group/b", error.Message, StringComparison.Ordinal);
        Assert.NotNull(await _iam.CallIam("GetGroup", ("GroupName", "a")));
    }

    [Fact]
    public async Task GetAccountSummary_counts_the_accounts_entities_and_gives_its_quotas()
    {
        await _iam.CallIam("CreateUser", ("UserName", "u1"));
        await _iam.CallIam("CreateUser", ("UserName", "u2"));
        await _iam.CallIam("CreateGroup", ("GroupName", "g"));
        await _iam.CallIam("AttachUserPolicy", ("UserName", "u1"), ("PolicyArn", "arn:aws:iam::aws:policy/ReadOnlyAccess"));
        await _iam.CallIam("CreatePolicy", ("PolicyName", "mine"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}"""));
        await _iam.CallIam("CreateInstanceProfile", ("InstanceProfileName", "web"));
        await _iam.CallIam("CreateOpenIDConnectProvider", ("Url", "https://gitlab.com"), ("ClientIDList.member.1", "sts.amazonaws.com"));

        var summary = Map(await _iam.CallIam("GetAccountSummary"));

        Assert.Equal(2, summary["Users"]);
        Assert.Equal(1, summary["Groups"]);
        Assert.Equal(0, summary["Roles"]);
        Assert.Equal(1, summary["Policies"]);
        Assert.Equal(1, summary["PolicyVersionsInUse"]);
        Assert.Equal(5000, summary["UsersQuota"]);
        Assert.Equal(5, summary["VersionsPerPolicyQuota"]);
        Assert.Equal(2, summary["AccessKeysPerUserQuota"]);
        Assert.Equal(0, summary["AccountMFAEnabled"]);
        Assert.Equal(1, summary["InstanceProfiles"]);
        Assert.Equal(1, summary["Providers"]);
    }

    [Fact]
    public async Task GetAccountSummary_without_permission_is_AccessDenied()
    {
        var bob = await _iam.UserContextAsync("bob");

        var error = await _iam.IamFails(bob, "GetAccountSummary");

        Assert.Equal("AccessDenied", error.Code);
        Assert.Contains("iam:GetAccountSummary", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, int> Map(XElement? result) =>
        result!.Descendants("entry").ToDictionary(e => e.Element("key")!.Value, e => int.Parse(e.Element("value")!.Value, System.Globalization.CultureInfo.InvariantCulture));
}
