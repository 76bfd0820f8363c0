using Cairn.Application.Identity;
using Cairn.Core.Identity.Passwords;
using Cairn.Server.Tests.Ssm;
using static Cairn.Server.Tests.Iam.IdentityHarness;

namespace Cairn.Server.Tests.Iam;

/// <summary>Login profiles, ChangePassword and the account password policy, through IAM's Query operations.</summary>
public sealed class LoginProfileTests : IDisposable
{
    private const string Good = "Correct-Horse-1";

    private readonly IdentityHarness _iam = new();

    public void Dispose() => _iam.Dispose();

    [Fact]
    public async Task Create_login_profile_answers_the_profile_and_stores_only_an_Argon2id_hash()
    {
        await _iam.CallIam("CreateUser", ("UserName", "alice"));

        var result = await _iam.CallIam("CreateLoginProfile", ("UserName", "alice"), ("Password", Good), ("PasswordResetRequired", "true"));

        var profile = result!.Element("LoginProfile")!;
        Assert.Equal("CreateLoginProfileResult", result.Name.LocalName);
        Assert.Equal(["UserName", "CreateDate", "PasswordResetRequired"], profile.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("true", profile.Element("PasswordResetRequired")!.Value);
        Assert.DoesNotContain(Good, result.ToString(), StringComparison.Ordinal);
        var stored = await _iam.Store.FindLoginProfileAsync(Account, "alice", CancellationToken.None);
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", stored!.PasswordHash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify(Good, stored.PasswordHash));
    }

    [Fact]
    public async Task Get_update_and_delete_login_profile_follow_IAMs_texts()
    {
        await _iam.CallIam("CreateUser", ("UserName", "alice"));
        Assert.Equal("Login Profile for User alice cannot be found.", (await _iam.IamFails("GetLoginProfile", ("UserName", "alice"))).Message);
        Assert.Equal("The user with name ghost cannot be found.", (await _iam.IamFails("GetLoginProfile", ("UserName", "ghost"))).Message);
        await _iam.CallIam("CreateLoginProfile", ("UserName", "alice"), ("Password", Good));
        Assert.Equal("Login Profile for user alice already exists.", (await _iam.IamFails("CreateLoginProfile", ("UserName", "alice"), ("Password", Good))).Message);

        await _iam.CallIam("UpdateLoginProfile", ("UserName", "alice"), ("PasswordResetRequired", "true"));
        var got = await _iam.CallIam("GetLoginProfile", ("UserName", "alice"));
        Assert.Equal("true", Text(got, "PasswordResetRequired"));
        await _iam.CallIam("UpdateLoginProfile", ("UserName", "alice"), ("Password", "Another-Horse-2"));
        var stored = await _iam.Store.FindLoginProfileAsync(Account, "alice", CancellationToken.None);
        Assert.True(PasswordHasher.Verify("Another-Horse-2", stored!.PasswordHash));
        Assert.True(stored.PasswordResetRequired);

        await _iam.CallIam("DeleteLoginProfile", ("UserName", "alice"));
        Assert.Equal("NoSuchEntity", (await _iam.IamFails("DeleteLoginProfile", ("UserName", "alice"))).Code);
    }

    [Fact]
    public async Task Delete_user_refuses_while_a_login_profile_exists()
    {
        await _iam.CallIam("CreateUser", ("UserName", "alice"));
        await _iam.CallIam("CreateLoginProfile", ("UserName", "alice"), ("Password", Good));

        var conflict = await _iam.IamFails("DeleteUser", ("UserName", "alice"));

        Assert.Equal(("DeleteConflict", 409, "Cannot delete entity, must delete login profile first."), (conflict.Code, conflict.HttpStatus, conflict.Message));
        await _iam.CallIam("DeleteLoginProfile", ("UserName", "alice"));
        await _iam.CallIam("DeleteUser", ("UserName", "alice"));
    }

    [Theory]
    [InlineData("short1A", "Password should have a minimum length of 8")]
    [InlineData("alllowercase", "Password should have at least three of these character types")]
    public async Task Without_a_password_policy_IAMs_default_rules_apply(string password, string expected)
    {
        await _iam.CallIam("CreateUser", ("UserName", "alice"));

        var error = await _iam.IamFails("CreateLoginProfile", ("UserName", "alice"), ("Password", password));

        Assert.Equal("PasswordPolicyViolation", error.Code);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_account_password_policy_is_enforced_on_create_and_update()
    {
        await _iam.CallIam("CreateUser", ("UserName", "alice"));
        await _iam.CallIam("UpdateAccountPasswordPolicy", ("MinimumPasswordLength", "16"), ("RequireSymbols", "true"));

        var created = await _iam.IamFails("CreateLoginProfile", ("UserName", "alice"), ("Password", "Correct1Horse"));
        Assert.Equal("Password should have a minimum length of 16; Password should have at least one symbol (!@#$%^&*()_+-=[]{}|')", created.Message);
        await _iam.CallIam("CreateLoginProfile", ("UserName", "alice"), ("Password", "correct-horse-battery"));
        var updated = await _iam.IamFails("UpdateLoginProfile", ("UserName", "alice"), ("Password", "short!"));
        Assert.Equal("PasswordPolicyViolation", updated.Code);
    }

    [Fact]
    public async Task A_bad_password_shape_is_a_ValidationError_that_never_echoes_the_password()
    {
        await _iam.CallIam("CreateUser", ("UserName", "alice"));

        var tooLong = await _iam.IamFails("CreateLoginProfile", ("UserName", "alice"), ("Password", new string('x', 129)));
        var missing = await _iam.IamFails("CreateLoginProfile", ("UserName", "alice"));
        var control = await _iam.IamFails("ChangePassword", ("OldPassword", "secret\u0001old"), ("NewPassword", Good));

        Assert.Equal("1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 128", tooLong.Message);
        Assert.Equal("1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null", missing.Message);
        Assert.Equal("ValidationError", control.Code);
        Assert.DoesNotContain("secret", control.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_changes_its_own_password_when_the_old_one_matches_and_the_reset_flag_clears()
    {
        var alice = await _iam.UserContextAsync("alice");
        await _iam.CallIam("PutUserPolicy", ("UserName", "alice"), ("PolicyName", "self"),
            ("PolicyDocument", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ChangePassword","Resource":"arn:aws:iam::{{Account}}:user/alice"}]}"""));
        await _iam.CallIam("CreateLoginProfile", ("UserName", "alice"), ("Password", Good), ("PasswordResetRequired", "true"));

        var wrong = await _iam.IamFails(alice, "ChangePassword", ("OldPassword", "Wrong-Horse-1"), ("NewPassword", "Another-Horse-2"));
        Assert.Equal(("AccessDenied", 403), (wrong.Code, wrong.HttpStatus));
        Assert.StartsWith("The old password is incorrect", wrong.Message, StringComparison.Ordinal);
        Assert.Equal("PasswordPolicyViolation", (await _iam.IamFails(alice, "ChangePassword", ("OldPassword", Good), ("NewPassword", "weak"))).Code);

        await _iam.CallIam(alice, "ChangePassword", ("OldPassword", Good), ("NewPassword", "Another-Horse-2"));

        var stored = await _iam.Store.FindLoginProfileAsync(Account, "alice", CancellationToken.None);
        Assert.True(PasswordHasher.Verify("Another-Horse-2", stored!.PasswordHash));
        Assert.False(stored.PasswordResetRequired);
    }

    [Fact]
    public async Task Change_password_needs_iam_ChangePassword_on_oneself_unless_the_policy_lets_users_change_theirs()
    {
        var bob = await _iam.UserContextAsync("bob");
        await _iam.CallIam("CreateLoginProfile", ("UserName", "bob"), ("Password", Good));

        var denied = await _iam.IamFails(bob, "ChangePassword", ("OldPassword", Good), ("NewPassword", "Another-Horse-2"));
        Assert.StartsWith($"User: arn:aws:iam::{Account}:user/bob is not authorized to perform: iam:ChangePassword on resource: arn:aws:iam::{Account}:user/bob", denied.Message, StringComparison.Ordinal);

        await _iam.CallIam("UpdateAccountPasswordPolicy", ("AllowUsersToChangePassword", "true"));
        await _iam.CallIam(bob, "ChangePassword", ("OldPassword", Good), ("NewPassword", "Another-Horse-2"));
    }

    [Fact]
    public async Task The_root_user_cannot_change_a_password_it_does_not_have()
    {
        var error = await _iam.IamFails("ChangePassword", ("OldPassword", Good), ("NewPassword", "Another-Horse-2"));

        Assert.Equal("InvalidUserType", error.Code);
        Assert.Contains("secret access key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_reuse_prevention_refuses_the_last_passwords_including_the_current_one()
    {
        var carol = await _iam.UserContextAsync("carol");
        await _iam.CallIam("UpdateAccountPasswordPolicy", ("AllowUsersToChangePassword", "true"), ("PasswordReusePrevention", "2"));
        await _iam.CallIam("CreateLoginProfile", ("UserName", "carol"), ("Password", "Password-One-1"));

        Assert.Equal("PasswordPolicyViolation", (await _iam.IamFails(carol, "ChangePassword", ("OldPassword", "Password-One-1"), ("NewPassword", "Password-One-1"))).Code);
        await _iam.CallIam(carol, "ChangePassword", ("OldPassword", "Password-One-1"), ("NewPassword", "Password-Two-2"));
        var reused = await _iam.IamFails(carol, "ChangePassword", ("OldPassword", "Password-Two-2"), ("NewPassword", "Password-One-1"));
        Assert.Equal("Password has been used before: the password policy prevents reusing any of your last 2 passwords", reused.Message);
        await _iam.CallIam(carol, "ChangePassword", ("OldPassword", "Password-Two-2"), ("NewPassword", "Password-Three-3"));
        await _iam.CallIam(carol, "ChangePassword", ("OldPassword", "Password-Three-3"), ("NewPassword", "Password-One-1"));
    }

    [Fact]
    public async Task With_HardExpiry_an_expired_password_cannot_be_changed_by_its_user()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var service = new LoginProfileService(_iam.Store, _iam.Get<UserService>(), new PasswordHasher(), clock);
        var dave = await _iam.UserContextAsync("dave");
        await _iam.CallIam("UpdateAccountPasswordPolicy", ("AllowUsersToChangePassword", "true"), ("MaxPasswordAge", "30"), ("HardExpiry", "true"));
        await service.CreateLoginProfileAsync(Root, "dave", Good, false, CancellationToken.None);

        clock.Advance(TimeSpan.FromDays(31));
        var error = await Assert.ThrowsAsync<Cairn.Core.Errors.AwsException>(() => service.ChangePasswordAsync(dave, Good, "Another-Horse-2", CancellationToken.None));

        Assert.Equal("EntityTemporarilyUnmodifiable", error.Code);
    }

    [Fact]
    public async Task Get_account_password_policy_answers_NoSuchEntity_until_one_is_set_and_members_left_out_take_defaults()
    {
        var missing = await _iam.IamFails("GetAccountPasswordPolicy");
        Assert.Equal(("NoSuchEntity", $"The Password Policy with domain name {Account} cannot be found."), (missing.Code, missing.Message));

        await _iam.CallIam("UpdateAccountPasswordPolicy", ("RequireNumbers", "true"), ("MaxPasswordAge", "90"));
        var policy = (await _iam.CallIam("GetAccountPasswordPolicy"))!.Element("PasswordPolicy")!;

        Assert.Equal(
            "MinimumPasswordLength=6 RequireSymbols=false RequireNumbers=true RequireUppercaseCharacters=false RequireLowercaseCharacters=false "
            + "AllowUsersToChangePassword=false ExpirePasswords=true MaxPasswordAge=90 HardExpiry=false",
            string.Join(' ', policy.Elements().Select(e => $"{e.Name.LocalName}={e.Value}")));
        Assert.Equal("ValidationError", (await _iam.IamFails("UpdateAccountPasswordPolicy", ("MinimumPasswordLength", "5"))).Code);

        await _iam.CallIam("DeleteAccountPasswordPolicy");
        Assert.Equal("NoSuchEntity", (await _iam.IamFails("DeleteAccountPasswordPolicy")).Code);
    }
}
