using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using static Cairn.Server.Tests.Iam.IdentityHarness;

namespace Cairn.Server.Tests.Iam;

/// <summary>Policy-based authorization of IAM users and role sessions, STS AssumeRole and GetCallerIdentity.</summary>
public sealed class AuthorizationAndStsTests : IDisposable
{
    private const string Parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/my_app_Docker_credentials_password";
    private const string RoleArn = "arn:aws:iam::123456789012:role/codebuild-service-role";

    private readonly IdentityHarness _iam = new();
    private RequestContext? _operator;

    public void Dispose() => _iam.Dispose();

    private IAuthorizer Authorizer => _iam.Get<IAuthorizer>();

    private Task Authorize(RequestContext context, string action, string resource) =>
        Authorizer.AuthorizeAsync(context, action, resource, CancellationToken.None).AsTask();

    [Fact]
    public async Task The_root_user_is_always_allowed()
    {
        await Authorize(Root, "ssm:DeleteParameter", Parameter);
    }

    [Fact]
    public async Task A_user_without_policies_is_denied_with_AWSs_message()
    {
        var bob = await _iam.UserContextAsync("bob");

        var error = await Assert.ThrowsAsync<AwsException>(() => Authorize(bob, "ssm:GetParameters", Parameter));

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Equal(
            $"User: arn:aws:iam::{Account}:user/bob is not authorized to perform: ssm:GetParameters on resource: {Parameter} because no identity-based policy allows the ssm:GetParameters action",
            error.Message);
    }

    [Fact]
    public async Task IAM_requests_are_denied_with_the_Query_protocols_AccessDenied()
    {
        var bob = await _iam.UserContextAsync("bob");

        var error = await _iam.IamFails(bob, "ListUsers");

        Assert.Equal("AccessDenied", error.Code);
        Assert.Equal(403, error.HttpStatus);
        Assert.Equal(
            $"User: arn:aws:iam::{Account}:user/bob is not authorized to perform: iam:ListUsers on resource: arn:aws:iam::{Account}:user/ because no identity-based policy allows the iam:ListUsers action",
            error.Message);
    }

    [Fact]
    public async Task Attached_inline_and_group_policies_all_count_and_an_explicit_deny_wins()
    {
        var bob = await _iam.UserContextAsync("bob");
        await _iam.CallIam("AttachUserPolicy", ("UserName", "bob"), ("PolicyArn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"));
        await Authorize(bob, "ssm:GetParameters", Parameter);

        await _iam.CallIam("CreateGroup", ("GroupName", "no-secrets"));
        await _iam.CallIam("PutGroupPolicy", ("GroupName", "no-secrets"), ("PolicyName", "deny"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ssm:GetParameter*","Resource":"arn:aws:ssm:*:*:parameter/*password*"}]}"""));
        await _iam.CallIam("AddUserToGroup", ("GroupName", "no-secrets"), ("UserName", "bob"));

        var error = await Assert.ThrowsAsync<AwsException>(() => Authorize(bob, "ssm:GetParameters", Parameter));
        Assert.Equal(
            $"User: arn:aws:iam::{Account}:user/bob is not authorized to perform: ssm:GetParameters on resource: {Parameter} with an explicit deny in an identity-based policy",
            error.Message);
        await Authorize(bob, "ssm:GetParameters", "arn:aws:ssm:us-east-1:123456789012:parameter/my_app_Docker_registry_URL");
    }

    [Fact]
    public async Task Policy_variables_see_the_callers_username_and_tags()
    {
        var bob = await _iam.UserContextAsync("bob");
        await _iam.CallIam("TagUser", ("UserName", "bob"), ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "red"));
        await _iam.CallIam("PutUserPolicy", ("UserName", "bob"), ("PolicyName", "home"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:*","Resource":["arn:aws:ssm:*:*:parameter/home/${aws:username}/*","arn:aws:ssm:*:*:parameter/teams/${aws:PrincipalTag/team}/*"]}]}"""));

        await Authorize(bob, "ssm:PutParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/home/bob/token");
        await Authorize(bob, "ssm:PutParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/teams/red/token");
        await Assert.ThrowsAsync<AwsException>(() => Authorize(bob, "ssm:PutParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/home/alice/token"));
    }

    [Fact]
    public async Task An_IAM_user_allowed_by_policy_can_manage_IAM()
    {
        var admin = await _iam.UserContextAsync("admin");
        await _iam.CallIam("AttachUserPolicy", ("UserName", "admin"), ("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"));

        await _iam.CallIam(admin, "CreateRole", ("RoleName", "codebuild-service-role"), ("AssumeRolePolicyDocument", IamRoleAndPolicyTests.CodeBuildTrust));

        Assert.NotNull(await _iam.Store.FindRoleAsync(Account, "codebuild-service-role", CancellationToken.None));
    }

    [Fact]
    public async Task GetCallerIdentity_names_root_users_and_sessions()
    {
        var root = await _iam.CallSts(Root, "GetCallerIdentity");
        var bob = await _iam.CallSts(await _iam.UserContextAsync("bob"), "GetCallerIdentity");

        Assert.Equal((Account, Account, $"arn:aws:iam::{Account}:root"), (Text(root, "UserId"), Text(root, "Account"), Text(root, "Arn")));
        Assert.StartsWith("AIDA", Text(bob, "UserId"), StringComparison.Ordinal);
        Assert.Equal($"arn:aws:iam::{Account}:user/bob", Text(bob, "Arn"));
    }

    [Fact]
    public async Task A_user_assumes_a_role_that_trusts_the_account_and_the_session_has_the_roles_rights()
    {
        await CreateRole(TrustAccount);
        await _iam.CallIam("AttachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"));

        var result = await AssumeRole(await Operator());
        var session = await SessionContext(result);
        var identity = await _iam.CallSts(session, "GetCallerIdentity");

        Assert.StartsWith("ASIA", Text(result, "AccessKeyId"), StringComparison.Ordinal);
        Assert.NotEmpty(Text(result, "SessionToken"));
        Assert.True(DateTimeOffset.Parse(Text(result, "Expiration"), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(55));
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/codebuild-service-role/build-1", Text(result, "Arn"));
        Assert.EndsWith(":build-1", Text(result, "AssumedRoleId"), StringComparison.Ordinal);
        Assert.Equal(Text(result, "AssumedRoleId"), Text(identity, "UserId"));
        await Authorize(session, "ssm:GetParameters", Parameter);
        var denied = await Assert.ThrowsAsync<AwsException>(() => Authorize(session, "ssm:PutParameter", Parameter));
        Assert.Equal(
            $"User: arn:aws:sts::{Account}:assumed-role/codebuild-service-role/build-1 is not authorized to perform: ssm:PutParameter on resource: {Parameter} because no identity-based policy allows the ssm:PutParameter action",
            denied.Message);
    }

    [Fact]
    public async Task A_user_needs_both_the_account_trust_and_its_own_permission()
    {
        await CreateRole(TrustAccount);
        var bob = await _iam.UserContextAsync("bob");

        var denied = await Assert.ThrowsAsync<AwsException>(() => AssumeRole(bob));
        await _iam.CallIam("PutUserPolicy", ("UserName", "bob"), ("PolicyName", "assume"),
            ("PolicyDocument", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"{{RoleArn}}"}]}"""));
        await AssumeRole(bob);

        Assert.Equal("AccessDenied", denied.Code);
        Assert.Equal($"User: arn:aws:iam::{Account}:user/bob is not authorized to perform: sts:AssumeRole on resource: {RoleArn}", denied.Message);
    }

    [Fact]
    public async Task A_trust_policy_naming_the_user_is_enough_on_its_own()
    {
        var bob = await _iam.UserContextAsync("bob");
        await CreateRole($$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/bob"},"Action":"sts:AssumeRole"}]}""");

        await AssumeRole(bob);
        var alice = await _iam.UserContextAsync("alice");
        await Assert.ThrowsAsync<AwsException>(() => AssumeRole(alice));
    }

    [Fact]
    public async Task Users_cannot_assume_a_role_only_CodeBuild_may_assume()
    {
        await CreateRole(IamRoleAndPolicyTests.CodeBuildTrust);
        var admin = await _iam.UserContextAsync("admin");
        await _iam.CallIam("AttachUserPolicy", ("UserName", "admin"), ("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"));

        var error = await Assert.ThrowsAsync<AwsException>(() => AssumeRole(admin));
        var credentials = await _iam.Get<IRoleAssumer>().AssumeRoleAsServiceAsync(RoleArn, "codebuild.amazonaws.com", "AWSCodeBuild-42", TimeSpan.FromHours(1), CancellationToken.None);
        var serviceError = await Assert.ThrowsAsync<AwsException>(() =>
            _iam.Get<IRoleAssumer>().AssumeRoleAsServiceAsync(RoleArn, "ec2.amazonaws.com", "x1", TimeSpan.FromHours(1), CancellationToken.None));

        Assert.Equal("AccessDenied", error.Code);
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/codebuild-service-role/AWSCodeBuild-42", credentials.AssumedRoleArn);
        Assert.StartsWith("ASIA", credentials.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal("AccessDenied", serviceError.Code);
    }

    [Fact]
    public async Task Assuming_a_missing_role_is_AccessDenied()
    {
        var error = await Assert.ThrowsAsync<AwsException>(async () => await AssumeRole(await Operator()));

        Assert.Equal($"User: arn:aws:iam::{Account}:user/operator is not authorized to perform: sts:AssumeRole on resource: {RoleArn}", error.Message);
    }

    [Fact]
    public async Task The_root_user_may_not_assume_a_role_even_one_that_trusts_the_account()
    {
        await CreateRole(TrustAccount);

        var error = await Assert.ThrowsAsync<AwsException>(() => AssumeRole(Root));

        Assert.Equal(("AccessDenied", 403), (error.Code, error.HttpStatus));
        Assert.Equal("Roles may not be assumed by root accounts.", error.Message);
    }

    [Fact]
    public async Task A_session_of_a_deleted_role_gets_nothing_from_a_new_role_of_the_same_name()
    {
        await CreateRole(TrustAccount);
        await _iam.CallIam("AttachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"));
        var old = await SessionContext(await AssumeRole(await Operator()));
        await Authorize(old, "ssm:PutParameter", Parameter);

        await _iam.CallIam("DetachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"));
        await _iam.CallIam("DeleteRole", ("RoleName", "codebuild-service-role"));
        await CreateRole(TrustAccount);
        await _iam.CallIam("AttachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"));
        var fresh = await SessionContext(await AssumeRole(await Operator()));

        var denied = await Assert.ThrowsAsync<AwsException>(() => Authorize(old, "ssm:PutParameter", Parameter));
        await Authorize(fresh, "ssm:PutParameter", Parameter);
        Assert.Equal("AccessDeniedException", denied.Code);
    }

    [Fact]
    public async Task Session_duration_is_bounded_by_the_roles_maximum()
    {
        await CreateRole(TrustAccount);

        var caller = await Operator();
        var error = await Assert.ThrowsAsync<AwsException>(() => _iam.CallSts(caller, "AssumeRole", ("RoleArn", RoleArn), ("RoleSessionName", "s1"), ("DurationSeconds", "7200")));
        var tooShort = await Assert.ThrowsAsync<AwsException>(() => _iam.CallSts(caller, "AssumeRole", ("RoleArn", RoleArn), ("RoleSessionName", "s1"), ("DurationSeconds", "60")));

        Assert.Equal("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.", error.Message);
        Assert.Equal("ValidationError", tooShort.Code);
    }

    [Fact]
    public async Task A_session_policy_narrows_what_the_session_may_do()
    {
        await CreateRole(TrustAccount);
        await _iam.CallIam("AttachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"));
        var result = await _iam.CallSts(await Operator(), "AssumeRole", ("RoleArn", RoleArn), ("RoleSessionName", "narrow"),
            ("Policy", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:DescribeParameters","Resource":"*"}]}"""));
        var session = await SessionContext(result);

        await Authorize(session, "ssm:DescribeParameters", "*");
        var error = await Assert.ThrowsAsync<AwsException>(() => Authorize(session, "ssm:GetParameters", Parameter));

        Assert.EndsWith("because no session policy allows the ssm:GetParameters action", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task External_id_conditions_are_checked()
    {
        await CreateRole("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"ACCOUNT"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"s3cret"}}}]}""".Replace("ACCOUNT", Account, StringComparison.Ordinal));

        var caller = await Operator();
        await Assert.ThrowsAsync<AwsException>(() => AssumeRole(caller));
        await _iam.CallSts(caller, "AssumeRole", ("RoleArn", RoleArn), ("RoleSessionName", "ext"), ("ExternalId", "s3cret"));
    }

    [Fact]
    public async Task Simulating_a_roles_policies_explains_each_decision()
    {
        await CreateRole(IamRoleAndPolicyTests.CodeBuildTrust);
        await _iam.CallIam("AttachRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyArn", "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"));
        await _iam.CallIam("PutRolePolicy", ("RoleName", "codebuild-service-role"), ("PolicyName", "no-delete"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ssm:DeleteParameter","Resource":"*"}]}"""));

        var result = await _iam.CallIam("SimulatePrincipalPolicy", ("PolicySourceArn", RoleArn),
            ("ActionNames.member.1", "ssm:GetParameters"), ("ActionNames.member.2", "ssm:PutParameter"), ("ActionNames.member.3", "ssm:DeleteParameter"),
            ("ResourceArns.member.1", Parameter));

        var decisions = result!.Descendants("EvaluationResults").Single().Elements("member")
            .Select(m => (m.Element("EvalActionName")!.Value, m.Element("EvalDecision")!.Value, string.Join(",", m.Descendants("SourcePolicyId").Select(e => e.Value))))
            .ToList();
        Assert.Equal(
            [("ssm:GetParameters", "allowed", "AmazonSSMReadOnlyAccess"), ("ssm:PutParameter", "implicitDeny", ""), ("ssm:DeleteParameter", "explicitDeny", "no-delete")],
            decisions);
    }

    [Fact]
    public async Task Simulation_reports_missing_context_values()
    {
        await _iam.CallIam("CreateUser", ("UserName", "bob"));
        await _iam.CallIam("PutUserPolicy", ("UserName", "bob"), ("PolicyName", "tls"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"""));

        var without = await _iam.CallIam("SimulatePrincipalPolicy", ("PolicySourceArn", $"arn:aws:iam::{Account}:user/bob"), ("ActionNames.member.1", "ssm:GetParameter"));
        var with = await _iam.CallIam("SimulatePrincipalPolicy", ("PolicySourceArn", $"arn:aws:iam::{Account}:user/bob"), ("ActionNames.member.1", "ssm:GetParameter"),
            ("ContextEntries.member.1.ContextKeyName", "aws:SecureTransport"), ("ContextEntries.member.1.ContextKeyValues.member.1", "true"),
            ("ContextEntries.member.1.ContextKeyType", "boolean"));

        Assert.Equal("implicitDeny", Text(without, "EvalDecision"));
        Assert.Equal("aws:SecureTransport", without!.Descendants("MissingContextValues").Single().Value);
        Assert.Equal("allowed", Text(with, "EvalDecision"));
    }

    private static string TrustAccount =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:root"},"Action":"sts:AssumeRole"}]}""";

    private Task<XElement?> CreateRole(string trust) =>
        _iam.CallIam("CreateRole", ("RoleName", "codebuild-service-role"), ("AssumeRolePolicyDocument", trust));

    /// <summary>An administrator user: the root user may not assume roles.</summary>
    private async Task<RequestContext> Operator()
    {
        if (_operator is null)
        {
            _operator = await _iam.UserContextAsync("operator");
            await _iam.CallIam("AttachUserPolicy", ("UserName", "operator"), ("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"));
        }

        return _operator;
    }

    private Task<XElement?> AssumeRole(RequestContext caller) =>
        _iam.CallSts(caller, "AssumeRole", ("RoleArn", RoleArn), ("RoleSessionName", "build-1"));

    private async Task<RequestContext> SessionContext(XElement? assumeRoleResult)
    {
        var keyId = Text(assumeRoleResult, "AccessKeyId");
        var credential = await _iam.Get<ICredentialResolver>().FindAsync(keyId, CancellationToken.None);
        Assert.Equal(Text(assumeRoleResult, "SessionToken"), credential!.SessionToken);
        return Context(credential.Principal, keyId);
    }
}
