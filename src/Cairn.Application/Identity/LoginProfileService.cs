using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Passwords;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// IAM users' console passwords (login profiles) and ChangePassword. Each call is authorized as <c>iam:&lt;Action&gt;</c>
/// on the user's ARN, as IAM does; new passwords must satisfy the account's password policy (or IAM's default rules) and
/// are stored only as Argon2id hashes. Without a user name, an IAM user acts on itself.
/// </summary>
public sealed class LoginProfileService(IIdentityStore store, UserService users, PasswordHasher hasher, TimeProvider time)
{
    /// <summary>How many replaced password hashes a user keeps: the most a password policy's PasswordReusePrevention can ask for.</summary>
    public const int PasswordHistoryKept = 24;

    public async Task<LoginProfile> CreateLoginProfileAsync(RequestContext context, string? userName, string password, bool passwordResetRequired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = await users.ExistingUserAsync(context, UserNameOrCaller(context, userName), "CreateLoginProfile", cancellationToken);
        PasswordRules.Enforce(await store.FindPasswordPolicyAsync(context.AccountId, cancellationToken), password);
        var now = time.GetUtcNow();
        var profile = new LoginProfile(context.AccountId, user.UserName, hasher.Hash(password), passwordResetRequired, now, now);
        await store.CreateLoginProfileAsync(profile, cancellationToken);
        return profile;
    }

    public async Task<LoginProfile> GetLoginProfileAsync(RequestContext context, string? userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = await users.ExistingUserAsync(context, UserNameOrCaller(context, userName), "GetLoginProfile", cancellationToken);
        return await store.FindLoginProfileAsync(context.AccountId, user.UserName, cancellationToken) ?? throw AwsErrors.NoSuchLoginProfile(user.UserName);
    }

    /// <summary>An administrator sets a new password and/or the reset flag (null leaves either as it is).</summary>
    public async Task UpdateLoginProfileAsync(RequestContext context, string userName, string? password, bool? passwordResetRequired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = await users.ExistingUserAsync(context, userName, "UpdateLoginProfile", cancellationToken);
        string? hash = null;
        if (password is not null)
        {
            PasswordRules.Enforce(await store.FindPasswordPolicyAsync(context.AccountId, cancellationToken), password);
            hash = hasher.Hash(password);
        }

        await store.UpdateLoginProfileAsync(context.AccountId, user.UserName, hash, passwordResetRequired, PasswordHistoryKept, time.GetUtcNow(), cancellationToken);
    }

    public async Task DeleteLoginProfileAsync(RequestContext context, string? userName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = await users.ExistingUserAsync(context, UserNameOrCaller(context, userName), "DeleteLoginProfile", cancellationToken);
        await store.DeleteLoginProfileAsync(context.AccountId, user.UserName, cancellationToken);
    }

    /// <summary>
    /// The calling IAM user changes its own password: iam:ChangePassword on itself (or the password policy's
    /// AllowUsersToChangePassword), the old password must match, the new one must satisfy the policy and not repeat the
    /// last PasswordReusePrevention passwords. Clears PasswordResetRequired. The root user and roles have no password here.
    /// </summary>
    public async Task ChangePasswordAsync(RequestContext context, string oldPassword, string newPassword, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (UserService.CallerUserName(context) is not { } name)
        {
            throw AwsErrors.OnlyUsersChangePasswords();
        }

        var policy = await store.FindPasswordPolicyAsync(context.AccountId, cancellationToken);
        if (policy is not { AllowUsersToChangePassword: true })
        {
            await users.AuthorizeAsync(context, "ChangePassword", context.Principal.Arn, cancellationToken);
        }

        var profile = await store.FindLoginProfileAsync(context.AccountId, name, cancellationToken) ?? throw AwsErrors.NoSuchLoginProfile(name);
        if (!PasswordHasher.Verify(oldPassword, profile.PasswordHash))
        {
            throw AwsErrors.WrongOldPassword();
        }

        var now = time.GetUtcNow();
        if (policy is { HardExpiry: true } && policy.IsExpired(profile.PasswordChangedAt, now))
        {
            throw AwsErrors.PasswordExpiredHard();
        }

        PasswordRules.Enforce(policy, newPassword);
        if (policy?.PasswordReusePrevention is > 0 and var remembered)
        {
            // The current password counts as one of the last N.
            var previous = await store.ListPasswordHistoryAsync(context.AccountId, profile.UserName, remembered - 1, cancellationToken);
            if (previous.Prepend(profile.PasswordHash).Any(hash => PasswordHasher.Verify(newPassword, hash)))
            {
                throw AwsErrors.PasswordReused(remembered);
            }
        }

        await store.UpdateLoginProfileAsync(context.AccountId, profile.UserName, hasher.Hash(newPassword), false, PasswordHistoryKept, now, cancellationToken);
    }

    private static string UserNameOrCaller(RequestContext context, string? userName) =>
        userName ?? UserService.CallerUserName(context)
        ?? throw AwsErrors.InvalidInput("Name the IAM user with UserName: the root user has no login profile (it signs in to the console with its secret access key).");
}
