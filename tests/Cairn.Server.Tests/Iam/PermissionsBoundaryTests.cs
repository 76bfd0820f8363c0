using System.Xml.Linq;
using Cairn.Application.Identity.Authorization;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Policies;
using static Cairn.Server.Tests.Iam.IdentityHarness;

namespace Cairn.Server.Tests.Iam;

/// <summary>Permissions boundaries: the IAM operations and their errors, and evaluation (identity policies AND the boundary).</summary>
public sealed class PermissionsBoundaryTests : IDisposable
{
    private const string SsmFull = "arn:aws:iam::aws:policy/AmazonSSMFullAccess";
    private const string Parameter = $"arn:aws:ssm:us-east-1:{Account}:parameter/app/db";
    private const string BoundaryArn = $"arn:aws:iam::{Account}:policy/ssm-read-only";
    private const string RoleArn = $"arn:aws:iam::{Account}:role/bounded";

    private readonly IdentityHarness _iam = new();

    private IAuthorizer Authorizer => _iam.Get<IAuthorizer>();

    [Fact]
    public async Task Get_user_and_get_role_return_the_boundary_and_the_listings_do_not()
    {
        await CreateBoundaryAsync();
        await _iam.CallIam("CreateUser", ("UserName", "dev"), ("PermissionsBoundary", BoundaryArn));
        await _iam.CallIam("CreateRole", ("RoleName", "bounded"), ("AssumeRolePolicyDocument", Trust), ("PermissionsBoundary", BoundaryArn));

        var user = await _iam.CallIam("GetUser", ("UserName", "dev"));
        var role = await _iam.CallIam("GetRole", ("RoleName", "bounded"));
        var users = await _iam.CallIam("ListUsers");
        var roles = await _iam.CallIam("ListRoles");

        Assert.Equal(("PermissionsBoundaryPolicy", BoundaryArn), (Text(user, "PermissionsBoundaryType"), Text(user, "PermissionsBoundaryArn")));
        Assert.Equal(("PermissionsBoundaryPolicy", BoundaryArn), (Text(role, "PermissionsBoundaryType"), Text(role, "PermissionsBoundaryArn")));
        Assert.Empty(users!.Descendants("PermissionsBoundary"));
        Assert.Empty(roles!.Descendants("PermissionsBoundary"));
    }

    [Fact]
    public async Task Put_and_delete_set_and_remove_the_boundary_of_users_and_roles()
    {
        await _iam.CallIam("CreateUser", ("UserName", "dev"));
        await _iam.CallIam("CreateRole", ("RoleName", "bounded"), ("AssumeRolePolicyDocument", Trust));

        await _iam.CallIam("PutUserPermissionsBoundary", ("UserName", "dev"), ("PermissionsBoundary", SsmFull));
        await _iam.CallIam("PutRolePermissionsBoundary", ("RoleName", "bounded"), ("PermissionsBoundary", SsmFull));
        Assert.Equal(SsmFull, Text(await _iam.CallIam("GetUser", ("UserName", "dev")), "PermissionsBoundaryArn"));
        Assert.Equal(SsmFull, Text(await _iam.CallIam("GetRole", ("RoleName", "bounded")), "PermissionsBoundaryArn"));

        await _iam.CallIam("DeleteUserPermissionsBoundary", ("UserName", "dev"));
        await _iam.CallIam("DeleteRolePermissionsBoundary", ("RoleName", "bounded"));
        Assert.Empty((await _iam.CallIam("GetUser", ("UserName", "dev")))!.Descendants("PermissionsBoundary"));
        Assert.Empty((await _iam.CallIam("GetRole", ("RoleName", "bounded")))!.Descendants("PermissionsBoundary"));
    }

    [Fact]
    public async Task A_boundary_must_be_an_existing_managed_policy()
    {
        await _iam.CallIam("CreateUser", ("UserName", "dev"));
        var missing = $"arn:aws:iam::{Account}:policy/nope";

        var noPolicy = await _iam.IamFails("PutUserPermissionsBoundary", ("UserName", "dev"), ("PermissionsBoundary", missing));
        var notArn = await _iam.IamFails("PutUserPermissionsBoundary", ("UserName", "dev"), ("PermissionsBoundary", "this-is-not-an-arn-at-all"));
        var onCreate = await _iam.IamFails("CreateRole", ("RoleName", "r"), ("AssumeRolePolicyDocument", Trust), ("PermissionsBoundary", missing));
        var noUser = await _iam.IamFails("PutUserPermissionsBoundary", ("UserName", "ghost"), ("PermissionsBoundary", SsmFull));

        Assert.Equal(("NoSuchEntity", $"Scope ARN: {missing} does not exist or is not attachable."), (noPolicy.Code, noPolicy.Message));
        Assert.Equal(("InvalidInput", "ARN this-is-not-an-arn-at-all is not valid."), (notArn.Code, notArn.Message));
        Assert.Equal("NoSuchEntity", onCreate.Code);
        Assert.Equal("NoSuchEntity", noUser.Code);
        await _iam.IamFails("GetRole", ("RoleName", "r"));
    }

    [Fact]
    public async Task Delete_policy_refuses_a_policy_in_use_as_a_boundary()
    {
        await CreateBoundaryAsync();
        await _iam.CallIam("CreateRole", ("RoleName", "bounded"), ("AssumeRolePolicyDocument", Trust), ("PermissionsBoundary", BoundaryArn));

        var refused = await _iam.IamFails("DeletePolicy", ("PolicyArn", BoundaryArn));
        await _iam.CallIam("DeleteRolePermissionsBoundary", ("RoleName", "bounded"));
        await _iam.CallIam("DeletePolicy", ("PolicyArn", BoundaryArn));

        Assert.Equal("DeleteConflict", refused.Code);
    }

    [Fact]
    public async Task A_user_is_allowed_what_both_its_policies_and_its_boundary_allow()
    {
        var dev = await BoundedUserAsync();

        await Authorizer.AuthorizeAsync(dev, "ssm:GetParameter", Parameter, CancellationToken.None);
        var denied = await Assert.ThrowsAsync<AwsException>(() => Authorizer.AuthorizeAsync(dev, "ssm:PutParameter", Parameter, CancellationToken.None).AsTask());

        Assert.Equal("AccessDeniedException", denied.Code);
        Assert.Equal(
            $"User: arn:aws:iam::{Account}:user/dev is not authorized to perform: ssm:PutParameter on resource: {Parameter} because no permissions boundary allows the ssm:PutParameter action",
            denied.Message);
    }

    [Fact]
    public async Task A_boundary_grants_nothing_the_identity_policies_do_not()
    {
        var dev = await BoundedUserAsync();
        await _iam.CallIam("DetachUserPolicy", ("UserName", "dev"), ("PolicyArn", SsmFull));

        var denied = await Assert.ThrowsAsync<AwsException>(() => Authorizer.AuthorizeAsync(dev, "ssm:GetParameter", Parameter, CancellationToken.None).AsTask());

        Assert.EndsWith("because no identity-based policy allows the ssm:GetParameter action", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explicit_deny_in_the_boundary_wins()
    {
        await _iam.CallIam("CreatePolicy", ("PolicyName", "deny-db"), ("PolicyDocument",
            """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:*","Resource":"*"},{"Effect":"Deny","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:*:*:parameter/app/db"}]}"""));
        var dev = await _iam.UserContextAsync("dev");
        await _iam.CallIam("AttachUserPolicy", ("UserName", "dev"), ("PolicyArn", SsmFull));
        await _iam.CallIam("PutUserPermissionsBoundary", ("UserName", "dev"), ("PermissionsBoundary", $"arn:aws:iam::{Account}:policy/deny-db"));

        await Authorizer.AuthorizeAsync(dev, "ssm:PutParameter", Parameter, CancellationToken.None);
        var denied = await Assert.ThrowsAsync<AwsException>(() => Authorizer.AuthorizeAsync(dev, "ssm:GetParameter", Parameter, CancellationToken.None).AsTask());
        var byResourcePolicy = await Assert.ThrowsAsync<AwsException>(() => Authorizer.AuthorizeAsync(
            dev, new AccessRequest("ssm:GetParameter", Parameter) { AllowedByResourcePolicy = true }, CancellationToken.None).AsTask());

        Assert.EndsWith("with an explicit deny in a permissions boundary", denied.Message, StringComparison.Ordinal);
        Assert.EndsWith("with an explicit deny in a permissions boundary", byResourcePolicy.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resource_policy_granting_a_user_is_not_limited_by_its_boundary_but_a_role_session_is()
    {
        var dev = await BoundedUserAsync();
        var session = await BoundedSessionAsync();
        var granted = new AccessRequest("secretsmanager:PutSecretValue", $"arn:aws:secretsmanager:us-east-1:{Account}:secret:s-AbCdEf") { AllowedByResourcePolicy = true };

        await Authorizer.AuthorizeAsync(dev, granted, CancellationToken.None);
        var denied = await Assert.ThrowsAsync<AwsException>(() => Authorizer.AuthorizeAsync(session, granted, CancellationToken.None).AsTask());

        Assert.EndsWith("because no permissions boundary allows the secretsmanager:PutSecretValue action", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_session_is_limited_by_its_roles_boundary()
    {
        var session = await BoundedSessionAsync();

        await Authorizer.AuthorizeAsync(session, "ssm:GetParametersByPath", Parameter, CancellationToken.None);
        var denied = await Assert.ThrowsAsync<AwsException>(() => Authorizer.AuthorizeAsync(session, "ssm:PutParameter", Parameter, CancellationToken.None).AsTask());

        Assert.Equal(
            $"User: arn:aws:sts::{Account}:assumed-role/bounded/s1 is not authorized to perform: ssm:PutParameter on resource: {Parameter} because no permissions boundary allows the ssm:PutParameter action",
            denied.Message);
    }

    [Fact]
    public async Task The_iam_PermissionsBoundary_condition_key_is_set_on_create_and_put()
    {
        await CreateBoundaryAsync();
        var admin = await _iam.UserContextAsync("admin");
        await _iam.CallIam("PutUserPolicy", ("UserName", "admin"), ("PolicyName", "only-bounded"), ("PolicyDocument",
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["iam:CreateUser","iam:PutUserPermissionsBoundary"],"Resource":"*","Condition":{"StringEquals":{"iam:PermissionsBoundary":""" + $"\"{BoundaryArn}\"" + "}}}}"));

        var unbounded = await _iam.IamFails(admin, "CreateUser", ("UserName", "free"));
        await _iam.CallIam(admin, "CreateUser", ("UserName", "kept"), ("PermissionsBoundary", BoundaryArn));
        var other = await _iam.IamFails(admin, "PutUserPermissionsBoundary", ("UserName", "kept"), ("PermissionsBoundary", SsmFull));

        Assert.Equal("AccessDenied", unbounded.Code);
        Assert.Equal("AccessDenied", other.Code);
        Assert.Equal(BoundaryArn, Text(await _iam.CallIam("GetUser", ("UserName", "kept")), "PermissionsBoundaryArn"));
    }

    [Fact]
    public async Task The_simulator_says_the_boundary_denied_it()
    {
        await BoundedUserAsync();
        var simulator = _iam.Get<PolicySimulator>();

        var results = await simulator.SimulatePrincipalPolicyAsync(
            Root, $"arn:aws:iam::{Account}:user/dev", [], ["ssm:GetParameter", "ssm:PutParameter"], [Parameter], new ConditionContext(), CancellationToken.None);
        var wire = await _iam.CallIam("SimulatePrincipalPolicy", ("PolicySourceArn", $"arn:aws:iam::{Account}:user/dev"), ("ActionNames.member.1", "ssm:PutParameter"));

        Assert.Equal((PolicyDecision.Allow, true, null), (results[0].Decision, results[0].AllowedByPermissionsBoundary, results[0].DeniedByPermissionsBoundary));
        Assert.Equal((PolicyDecision.ImplicitDeny, false, "ssm-read-only"), (results[1].Decision, results[1].AllowedByPermissionsBoundary, results[1].DeniedByPermissionsBoundary));
        Assert.Equal(("implicitDeny", "false"), (Text(wire, "EvalDecision"), Text(wire, "AllowedByPermissionsBoundary")));
    }

    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";

    private Task<XElement?> CreateBoundaryAsync() =>
        _iam.CallIam("CreatePolicy", ("PolicyName", "ssm-read-only"), ("PolicyDocument",
            """{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"ssm:GetParameter*","Resource":"*"}}"""));

    /// <summary>User dev: AmazonSSMFullAccess, bounded by ssm:GetParameter* only.</summary>
    private async Task<RequestContext> BoundedUserAsync()
    {
        await CreateBoundaryAsync();
        var dev = await _iam.UserContextAsync("dev");
        await _iam.CallIam("AttachUserPolicy", ("UserName", "dev"), ("PolicyArn", SsmFull));
        await _iam.CallIam("PutUserPermissionsBoundary", ("UserName", "dev"), ("PermissionsBoundary", BoundaryArn));
        return dev;
    }

    /// <summary>A session of role bounded: AmazonSSMFullAccess, bounded by ssm:GetParameter* only.</summary>
    private async Task<RequestContext> BoundedSessionAsync()
    {
        if (await _iam.Store.FindPolicyAsync(BoundaryArn, CancellationToken.None) is null)
        {
            await CreateBoundaryAsync();
        }

        await _iam.CallIam("CreateRole", ("RoleName", "bounded"), ("AssumeRolePolicyDocument", Trust), ("PermissionsBoundary", BoundaryArn));
        await _iam.CallIam("AttachRolePolicy", ("RoleName", "bounded"), ("PolicyArn", SsmFull));
        var assumer = await _iam.UserContextAsync("assumer");
        await _iam.CallIam("PutUserPolicy", ("UserName", "assumer"), ("PolicyName", "assume"), ("PolicyDocument",
            $$$"""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"{{{RoleArn}}}"}}"""));
        var result = await _iam.CallSts(assumer, "AssumeRole", ("RoleArn", RoleArn), ("RoleSessionName", "s1"));
        var keyId = Text(result, "AccessKeyId");
        var credential = await _iam.Get<ICredentialResolver>().FindAsync(keyId, CancellationToken.None);
        return Context(credential!.Principal, keyId);
    }

    public void Dispose() => _iam.Dispose();
}
