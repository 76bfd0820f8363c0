namespace Cairn.Core.Errors;

/// <summary>IAM's errors for console sign-in identities: login profiles, passwords, the password policy and account aliases.</summary>
public static partial class AwsErrors
{
    public static AwsException PasswordPolicyViolation(string message) => new("PasswordPolicyViolation", message);

    public static AwsException NoSuchLoginProfile(string userName) => NoSuchEntity($"Login Profile for User {userName} cannot be found.");

    public static AwsException LoginProfileExists(string userName) => EntityAlreadyExists($"Login Profile for user {userName} already exists.");

    public static AwsException MustDeleteLoginProfile() => DeleteConflict("Cannot delete entity, must delete login profile first.");

    public static AwsException NoSuchPasswordPolicy(string accountId) => NoSuchEntity($"The Password Policy with domain name {accountId} cannot be found.");

    /// <summary>ChangePassword by anyone but an IAM user (the root user, a role session).</summary>
    public static AwsException OnlyUsersChangePasswords() => new("InvalidUserType",
        "Only an IAM user can change its own password with ChangePassword. The root user signs in to the console with its secret "
        + "access key and has no password to change; an administrator sets a user's password with UpdateLoginProfile.");

    /// <summary>ChangePassword with an OldPassword that is not the user's current one (AWS's message is not documented).</summary>
    public static AwsException WrongOldPassword() =>
        QueryAccessDenied("The old password is incorrect: give the password you sign in with as OldPassword, or ask an administrator to set a new one with UpdateLoginProfile.");

    /// <summary>The console's change-password form: the new password and its confirmation differ (neither is echoed).</summary>
    public static AwsException NewPasswordsDoNotMatch() => new("ValidationError",
        "The new password and its confirmation are not the same: type the same new password in both boxes.");

    /// <summary>The new password is one of the last <paramref name="count"/> (the password policy's PasswordReusePrevention).</summary>
    public static AwsException PasswordReused(int count) =>
        PasswordPolicyViolation($"Password has been used before: the password policy prevents reusing any of your last {count} passwords");

    /// <summary>HardExpiry: an expired password can only be reset by an administrator.</summary>
    public static AwsException PasswordExpiredHard() => new("EntityTemporarilyUnmodifiable",
        "Your password has expired and the account's password policy (HardExpiry) does not let you change it: ask an administrator to set a new one with UpdateLoginProfile.", 409);

    public static AwsException AccountAliasTaken(string alias) => EntityAlreadyExists($"The account alias {alias} already exists.");

    public static AwsException NoSuchAccountAlias(string alias) => NoSuchEntity($"The account alias {alias} cannot be found.");

    /// <summary>A 12-digit alias would be taken for an account id at sign-in.</summary>
    public static AwsException AccountAliasLooksLikeAccountId(string alias) =>
        QueryValidation(alias, "accountAlias", "Member must not be a 12-digit number (the sign-in page would take it for an account id)");
}
