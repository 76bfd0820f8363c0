using Cairn.Core.Errors;
using Cairn.Core.Identity;
using static Cairn.Server.Tests.Iam.IdentityHarness;

namespace Cairn.Server.Tests.Iam;

/// <summary>STS GetSessionToken (credentials acting as their user, with AWS's limits) and GetAccessKeyInfo.</summary>
public sealed class SessionTokenTests : IDisposable
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}""";
    private const string Parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/app/db";

    private readonly IdentityHarness _iam = new();

    public void Dispose() => _iam.Dispose();

    private async Task<RequestContext> SessionOf(RequestContext caller, params (string Key, string Value)[] args)
    {
        var result = await _iam.CallSts(caller, "GetSessionToken", args);
        var keyId = Text(result, "AccessKeyId");
        var credential = await _iam.Get<ICredentialResolver>().FindAsync(keyId, CancellationToken.None);
        Assert.NotNull(credential);
        Assert.Equal(Text(result, "SessionToken"), credential.SessionToken);
        Assert.Equal(Text(result, "SecretAccessKey"), credential.SecretAccessKey);
        return Context(credential.Principal, keyId);
    }

    [Fact]
    public async Task A_users_session_token_lasts_12_hours_by_default_and_acts_as_the_user()
    {
        var bob = await _iam.UserContextAsync("bob");
        await _iam.CallIam("PutUserPolicy", ("UserName", "bob"), ("PolicyName", "read"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"*"}]}"""));
        var before = DateTimeOffset.UtcNow;

        var result = await _iam.CallSts(bob, "GetSessionToken");

        Assert.StartsWith("ASIA", Text(result, "AccessKeyId"), StringComparison.Ordinal);
        var expiration = DateTimeOffset.Parse(Text(result, "Expiration"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiration - before, TimeSpan.FromHours(12) - TimeSpan.FromSeconds(5), TimeSpan.FromHours(12) + TimeSpan.FromSeconds(5));
        var session = await SessionOf(bob);
        var identity = await _iam.CallSts(session, "GetCallerIdentity");
        Assert.Equal($"arn:aws:iam::{Account}:user/bob", Text(identity, "Arn"));
        Assert.Equal(bob.Principal.UserId, Text(identity, "UserId"));
        await _iam.Get<IAuthorizer>().AuthorizeAsync(session, "ssm:GetParameter", Parameter, CancellationToken.None);
        var denied = await Assert.ThrowsAsync<AwsException>(() => _iam.Get<IAuthorizer>().AuthorizeAsync(session, "ssm:PutParameter", Parameter, CancellationToken.None).AsTask());
        Assert.Equal("AccessDeniedException", denied.Code);
    }

    [Theory]
    [InlineData(900, 900)]
    [InlineData(129600, 129600)]
    public async Task A_user_may_ask_for_15_minutes_to_36_hours(int asked, int expected)
    {
        var bob = await _iam.UserContextAsync("bob");
        var before = DateTimeOffset.UtcNow;

        var result = await _iam.CallSts(bob, "GetSessionToken", ("DurationSeconds", asked.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        var expiration = DateTimeOffset.Parse(Text(result, "Expiration"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange((expiration - before).TotalSeconds, expected - 5, expected + 5);
    }

    [Theory]
    [InlineData("899")]
    [InlineData("129601")]
    public async Task A_duration_outside_15_minutes_to_36_hours_is_a_ValidationError(string asked)
    {
        var bob = await _iam.UserContextAsync("bob");

        var error = await Assert.ThrowsAsync<AwsException>(() => _iam.CallSts(bob, "GetSessionToken", ("DurationSeconds", asked)));

        Assert.Equal("ValidationError", error.Code);
        Assert.Contains("durationSeconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_root_users_session_lasts_at_most_an_hour()
    {
        var before = DateTimeOffset.UtcNow;

        var result = await _iam.CallSts(Root, "GetSessionToken", ("DurationSeconds", "7200"));

        var expiration = DateTimeOffset.Parse(Text(result, "Expiration"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange((expiration - before).TotalSeconds, 3595, 3605);
        var session = await SessionOf(Root);
        Assert.True(session.Principal.IsRoot);
        Assert.Equal($"arn:aws:iam::{Account}:root", Text(await _iam.CallSts(session, "GetCallerIdentity"), "Arn"));
    }

    [Fact]
    public async Task A_role_session_cannot_get_a_session_token()
    {
        await _iam.CallIam("CreateRole", ("RoleName", "r"), ("AssumeRolePolicyDocument", Trust));
        var assumed = await _iam.CallSts(await AdminAsync(), "AssumeRole", ("RoleArn", $"arn:aws:iam::{Account}:role/r"), ("RoleSessionName", "ss"));
        var keyId = Text(assumed, "AccessKeyId");
        var credential = await _iam.Get<ICredentialResolver>().FindAsync(keyId, CancellationToken.None);

        var error = await Assert.ThrowsAsync<AwsException>(() => _iam.CallSts(Context(credential!.Principal, keyId), "GetSessionToken"));

        Assert.Equal("AccessDenied", error.Code);
        Assert.Equal("Cannot call GetSessionToken with session credentials", error.Message);
    }

    [Fact]
    public async Task Session_token_credentials_cannot_get_another()
    {
        var session = await SessionOf(await _iam.UserContextAsync("bob"));

        var error = await Assert.ThrowsAsync<AwsException>(() => _iam.CallSts(session, "GetSessionToken"));

        Assert.Equal("Cannot call GetSessionToken with session credentials", error.Message);
    }

    [Fact]
    public async Task Session_token_credentials_cannot_call_IAM_without_MFA_even_as_an_administrator()
    {
        var session = await SessionOf(await AdminAsync());

        var error = await _iam.IamFails(session, "ListUsers");

        Assert.Equal("InvalidClientTokenId", error.Code);
        Assert.Equal(403, error.HttpStatus);
        Assert.Contains("MFA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_token_credentials_may_assume_a_role_but_not_call_GetAccessKeyInfo()
    {
        await _iam.CallIam("CreateRole", ("RoleName", "r"), ("AssumeRolePolicyDocument", Trust));
        var session = await SessionOf(await AdminAsync());

        var assumed = await _iam.CallSts(session, "AssumeRole", ("RoleArn", $"arn:aws:iam::{Account}:role/r"), ("RoleSessionName", "ss"));
        var error = await Assert.ThrowsAsync<AwsException>(() => _iam.CallSts(session, "GetAccessKeyInfo", ("AccessKeyId", "AKIAROOTROOTROOTROOT")));

        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/r/ss", Text(assumed, "Arn"));
        Assert.Equal("AccessDenied", error.Code);
        Assert.Contains("GetAccessKeyInfo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_users_session_token_no_longer_signs()
    {
        var bob = await _iam.UserContextAsync("bob");
        var keyId = Text(await _iam.CallSts(bob, "GetSessionToken"), "AccessKeyId");
        await _iam.CallIam("DeleteAccessKey", ("UserName", "bob"), ("AccessKeyId", bob.AccessKeyId!));
        await _iam.CallIam("DeleteUser", ("UserName", "bob"));
        await _iam.CallIam("CreateUser", ("UserName", "bob"));

        Assert.Null(await _iam.Get<ICredentialResolver>().FindAsync(keyId, CancellationToken.None));
    }

    [Fact]
    public async Task An_MFA_code_is_refused_because_Cairn_has_no_MFA_devices()
    {
        var bob = await _iam.UserContextAsync("bob");

        var error = await Assert.ThrowsAsync<AwsException>(() => _iam.CallSts(bob, "GetSessionToken",
            ("SerialNumber", $"arn:aws:iam::{Account}:mfa/bob"), ("TokenCode", "123456")));

        Assert.Equal("AccessDenied", error.Code);
        Assert.Contains("without SerialNumber and TokenCode", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAccessKeyInfo_names_the_account_of_root_user_and_session_keys()
    {
        var bob = await _iam.UserContextAsync("bob");
        var sessionKey = Text(await _iam.CallSts(bob, "GetSessionToken"), "AccessKeyId");

        foreach (var key in new[] { "AKIAROOTROOTROOTROOT", bob.AccessKeyId!, sessionKey })
        {
            Assert.Equal(Account, Text(await _iam.CallSts(bob, "GetAccessKeyInfo", ("AccessKeyId", key)), "Account"));
        }
    }

    [Fact]
    public async Task GetAccessKeyInfo_needs_no_permission()
    {
        var nobody = await _iam.UserContextAsync("nobody");

        var result = await _iam.CallSts(nobody, "GetAccessKeyInfo", ("AccessKeyId", nobody.AccessKeyId!));

        Assert.Equal(Account, Text(result, "Account"));
    }

    [Theory]
    [InlineData("AKIASHORT", "ValidationError")]
    [InlineData("AKIA-NOT-A-KEY-ID-AT-ALL", "ValidationError")]
    [InlineData("AKIANEVERISSUEDHERE0", "InvalidParameterValue")]
    public async Task GetAccessKeyInfo_rejects_bad_and_unknown_key_ids(string keyId, string code)
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => _iam.CallSts(Root, "GetAccessKeyInfo", ("AccessKeyId", keyId)));

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public async Task GetAccessKeyInfo_requires_the_key_id()
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => _iam.CallSts(Root, "GetAccessKeyInfo"));

        Assert.Equal("ValidationError", error.Code);
    }

    private async Task<RequestContext> AdminAsync()
    {
        var admin = await _iam.UserContextAsync("admin");
        await _iam.CallIam("AttachUserPolicy", ("UserName", "admin"), ("PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess"));
        return admin;
    }
}
