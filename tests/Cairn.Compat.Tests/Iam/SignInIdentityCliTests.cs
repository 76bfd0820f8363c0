using Cairn.Compat.Tests.Infrastructure;

namespace Cairn.Compat.Tests.Iam;

/// <summary>Console sign-in identities (login profiles, ChangePassword, the password policy, account aliases) through the real aws CLI and boto3.</summary>
public sealed class SignInIdentityCliTests(CairnFixture cairn) : IClassFixture<CairnFixture>
{
    [Fact]
    public async Task The_CLI_creates_reads_updates_and_deletes_a_login_profile()
    {
        (await cairn.Aws("iam", "create-user", "--user-name", "cli-alice")).Ok();

        var created = (await cairn.Aws("iam", "create-login-profile", "--user-name", "cli-alice", "--password", "Correct-Horse-1", "--password-reset-required")).Ok();
        (await cairn.Aws("iam", "update-login-profile", "--user-name", "cli-alice", "--no-password-reset-required")).Ok();
        var got = (await cairn.Aws("iam", "get-login-profile", "--user-name", "cli-alice")).Ok();
        var conflict = (await cairn.Aws("iam", "delete-user", "--user-name", "cli-alice")).Fails("DeleteConflict");
        var weak = (await cairn.Aws("iam", "update-login-profile", "--user-name", "cli-alice", "--password", "weak")).Fails("PasswordPolicyViolation");
        (await cairn.Aws("iam", "delete-login-profile", "--user-name", "cli-alice")).Ok();
        var missing = (await cairn.Aws("iam", "get-login-profile", "--user-name", "cli-alice")).Fails("NoSuchEntity");
        (await cairn.Aws("iam", "delete-user", "--user-name", "cli-alice")).Ok();

        Assert.Equal("cli-alice", created["LoginProfile"]!["UserName"]!.GetValue<string>());
        Assert.True(created["LoginProfile"]!["PasswordResetRequired"]!.GetValue<bool>());
        Assert.False(got["LoginProfile"]!["PasswordResetRequired"]!.GetValue<bool>());
        Assert.Contains("must delete login profile first", conflict, StringComparison.Ordinal);
        Assert.Contains("Password should have a minimum length of 8", weak, StringComparison.Ordinal);
        Assert.DoesNotContain("weak", weak.Replace("PasswordPolicyViolation", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Login Profile for User cli-alice cannot be found.", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_changes_its_own_password_with_the_CLI_under_the_account_password_policy()
    {
        (await cairn.Aws("iam", "update-account-password-policy", "--minimum-password-length", "12", "--require-numbers", "--allow-users-to-change-password")).Ok();
        var policy = (await cairn.Aws("iam", "get-account-password-policy")).Ok()["PasswordPolicy"]!;
        var bob = await cairn.UserWithPolicyAsync("cli-bob", """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}""");
        (await cairn.Aws("iam", "create-login-profile", "--user-name", "cli-bob", "--password", "first-password-1")).Ok();

        var tooShort = (await cairn.AwsAs(bob, "iam", "change-password", "--old-password", "first-password-1", "--new-password", "short-1")).Fails("PasswordPolicyViolation");
        var wrongOld = (await cairn.AwsAs(bob, "iam", "change-password", "--old-password", "not-my-password-1", "--new-password", "second-password-2")).Fails("AccessDenied");
        (await cairn.AwsAs(bob, "iam", "change-password", "--old-password", "first-password-1", "--new-password", "second-password-2")).Ok();
        var rootChange = (await cairn.Aws("iam", "change-password", "--old-password", "x", "--new-password", "second-password-2")).Fails("InvalidUserType");
        (await cairn.Aws("iam", "delete-account-password-policy")).Ok();
        var gone = (await cairn.Aws("iam", "get-account-password-policy")).Fails("NoSuchEntity");

        Assert.Equal(12, policy["MinimumPasswordLength"]!.GetValue<int>());
        Assert.True(policy["RequireNumbers"]!.GetValue<bool>());
        Assert.True(policy["AllowUsersToChangePassword"]!.GetValue<bool>());
        Assert.False(policy["ExpirePasswords"]!.GetValue<bool>());
        Assert.Contains("Password should have a minimum length of 12", tooShort, StringComparison.Ordinal);
        Assert.Contains("The old password is incorrect", wrongOld, StringComparison.Ordinal);
        Assert.Contains("secret access key", rootChange, StringComparison.Ordinal);
        Assert.Contains("The Password Policy with domain name 000000000000 cannot be found.", gone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CLI_sets_lists_replaces_and_deletes_the_account_alias()
    {
        (await cairn.Aws("iam", "create-account-alias", "--account-alias", "cli-team")).Ok();
        var first = (await cairn.Aws("iam", "list-account-aliases")).Ok();
        (await cairn.Aws("iam", "create-account-alias", "--account-alias", "cli-platform")).Ok();
        var second = (await cairn.Aws("iam", "list-account-aliases")).Ok();
        var invalid = (await cairn.Aws("iam", "create-account-alias", "--account-alias", "Bad--Alias")).Fails("ValidationError");
        var missing = (await cairn.Aws("iam", "delete-account-alias", "--account-alias", "cli-team")).Fails("NoSuchEntity");
        (await cairn.Aws("iam", "delete-account-alias", "--account-alias", "cli-platform")).Ok();
        var none = (await cairn.Aws("iam", "list-account-aliases")).Ok();

        Assert.Equal(["cli-team"], first["AccountAliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["cli-platform"], second["AccountAliases"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains("at 'accountAlias'", invalid, StringComparison.Ordinal);
        Assert.Contains("The account alias cli-team cannot be found.", missing, StringComparison.Ordinal);
        Assert.Empty(none["AccountAliases"]!.AsArray());
    }

    [Fact]
    public async Task Boto3_parses_every_sign_in_operations_answer_and_error()
    {
        var result = await cairn.Boto3("""
            import datetime
            iam.create_user(UserName="boto-carol")
            p = iam.create_login_profile(UserName="boto-carol", Password="Correct-Horse-1", PasswordResetRequired=True)["LoginProfile"]
            assert p["UserName"] == "boto-carol" and p["PasswordResetRequired"] is True, p
            assert isinstance(p["CreateDate"], datetime.datetime), p
            assert iam.get_login_profile(UserName="boto-carol")["LoginProfile"]["PasswordResetRequired"] is True
            iam.update_login_profile(UserName="boto-carol", Password="Another-Horse-2", PasswordResetRequired=False)
            iam.update_account_password_policy(MinimumPasswordLength=10, RequireSymbols=True, MaxPasswordAge=90, PasswordReusePrevention=3, HardExpiry=False)
            pol = iam.get_account_password_policy()["PasswordPolicy"]
            assert pol["MinimumPasswordLength"] == 10 and pol["RequireSymbols"] is True and pol["ExpirePasswords"] is True, pol
            assert pol["MaxPasswordAge"] == 90 and pol["PasswordReusePrevention"] == 3 and pol["HardExpiry"] is False, pol
            print(error_code(iam.create_login_profile, UserName="boto-carol", Password="Correct-Horse-1"))
            print(error_code(iam.update_login_profile, UserName="boto-carol", Password="nosymbol12345"))
            print(error_code(iam.update_account_password_policy, MinimumPasswordLength=5))
            iam.delete_account_password_policy()
            iam.create_account_alias(AccountAlias="boto-team")
            a = iam.list_account_aliases()
            assert a["AccountAliases"] == ["boto-team"] and a["IsTruncated"] is False, a
            iam.delete_account_alias(AccountAlias="boto-team")
            iam.delete_login_profile(UserName="boto-carol")
            print(error_code(iam.delete_login_profile, UserName="boto-carol"))
            iam.delete_user(UserName="boto-carol")
            """);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("EntityAlreadyExists: Login Profile for user boto-carol already exists.", lines[0]);
        Assert.Equal("PasswordPolicyViolation: Password should have at least one symbol (!@#$%^&*()_+-=[]{}|')", lines[1]);
        Assert.StartsWith("ParamValidationError", lines[2], StringComparison.Ordinal);
        Assert.Equal("NoSuchEntity: Login Profile for User boto-carol cannot be found.", lines[^1]);
    }
}
