using System.Globalization;
using Cairn.Core.Audit;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Passwords;
using Cairn.Storage.Identity;
using Cairn.Storage.Sessions;

namespace Cairn.Application.Identity;

/// <summary>
/// The console's sign-in check, as AWS's sign-in page makes it: an account (its id or its alias), a user name and a
/// password. An IAM user signs in with the password of its login profile; a user without one cannot sign in. The root
/// user, whom AWS signs in by email, has no password in Cairn: it signs in with the user name <c>root</c> and its secret
/// access key as the password (the <c>aws_secret_access_key</c> of the credentials file, or CAIRN_ROOT_SECRET_ACCESS_KEY);
/// so an IAM user named root cannot sign in to the console.
/// </summary>
/// <remarks>
/// A failure never says which of account, user or password was wrong, and takes as long whichever it was (a password is
/// hashed even for a user that does not exist). After <see cref="ConsoleSignInOptions.MaxFailures"/> failures of one
/// account and user within <see cref="ConsoleSignInOptions.FailureWindow"/>, attempts fail without the password being
/// checked until the oldest of them leaves the window. The failures are kept in <see cref="IConsoleSignInFailureStore"/>,
/// so every server on the database counts the same ones and a restart forgets none; they are stored under a keyed hash of
/// account and user name (<see cref="ConsoleSignInOptions.FailureKey"/>), never with the name or the password, and only for
/// the window (each failure recorded prunes those that left it). A sign-in reads the store once; only a failure, or a
/// success after failures, writes. Every attempt is audited as CloudTrail's <c>signin:ConsoleLogin</c> event, never with
/// the password.
/// </remarks>
public sealed class ConsoleSignInService(
    IIdentityStore store, IConsoleSignInFailureStore failureStore, IAuditLog audit, ConsoleSignInOptions options, TimeProvider time)
{
    public const string RootUserName = "root";

    /// <summary>The audit log's operation and action for a sign-in, as CloudTrail names the event.</summary>
    public const string AuditedAction = "signin:ConsoleLogin";

    /// <summary>What CloudTrail records instead of a user name that does not exist (it may be a password typed in the wrong box).</summary>
    public const string HiddenPrincipal = "HIDDEN_DUE_TO_SECURITY_REASONS";

    /// <summary>AWS's sign-in page's words for a wrong account, user or password.</summary>
    public const string FailedMessage = "Your authentication information is incorrect. Please try again.";

    // Verified when there is no user or no login profile, so a failure costs the same whatever was wrong.
    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher().Hash(Guid.NewGuid().ToString("N")));

    /// <summary>Checks a console sign-in; see the class's remarks for the root user and the lockout.</summary>
    /// <param name="account">The account id (12 digits) or the account's alias.</param>
    /// <param name="clientAddress">The browser's address, for the audit log.</param>
    public async Task<ConsoleSignInResult> SignInAsync(string account, string userName, string password, string clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        var accountId = await ResolveAccountAsync(account.Trim(), cancellationToken);
        var key = options.FailureKey($"{accountId ?? account.Trim().ToLowerInvariant()}/{userName.ToUpperInvariant()}");
        // To the millisecond, as the store keeps a failure's time: the wait counts exactly from a stored failure.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var failures = await failureStore.FindRecentAsync(key, now - options.FailureWindow, options.MaxFailures, cancellationToken);
        if (failures.Count >= options.MaxFailures)
        {
            // Locked until the failures in the window drop below the limit: the oldest of the newest MaxFailures leaves it.
            var wait = failures[options.MaxFailures - 1] + options.FailureWindow - now;
            var minutes = Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
            var message = string.Create(CultureInfo.InvariantCulture,
                $"Too many failed sign-ins. Try again in {minutes} minute{(minutes == 1 ? string.Empty : "s")}, or ask an administrator to check the account, user name and password.");
            Audit(now, HiddenOrRoot(accountId, userName), clientAddress, allowed: false, "TooManyFailedSignIns");
            return new ConsoleSignInResult(ConsoleSignInOutcome.Locked, null, false, message, wait);
        }

        var result = string.Equals(userName, RootUserName, StringComparison.OrdinalIgnoreCase)
            ? SignInRoot(accountId, password)
            : await SignInUserAsync(accountId, userName, password, now, cancellationToken);
        if (result.Outcome == ConsoleSignInOutcome.SignedIn)
        {
            if (failures.Count > 0)
            {
                await failureStore.ClearAsync(key, cancellationToken);
            }

            Audit(now, result.Principal!.Arn, clientAddress, allowed: true, null);
        }
        else
        {
            await failureStore.RecordAsync(key, now, now - options.FailureWindow, cancellationToken);
            Audit(now, result.Principal?.Arn ?? HiddenOrRoot(accountId, userName), clientAddress, allowed: false,
                result.Outcome == ConsoleSignInOutcome.PasswordExpired ? "PasswordExpired" : "FailedAuthentication");
        }

        // A failure carries no principal out, even when one was found.
        return result.Outcome == ConsoleSignInOutcome.SignedIn ? result : result with { Principal = null };
    }

    private ConsoleSignInResult SignInRoot(string? accountId, string password) =>
        accountId == options.AccountId && options.IsRootSecret(password)
            ? new ConsoleSignInResult(ConsoleSignInOutcome.SignedIn, Principal.Root(options.AccountId), false, null)
            : Failed(accountId == options.AccountId ? Principal.Root(options.AccountId) : null);

    private async Task<ConsoleSignInResult> SignInUserAsync(string? accountId, string userName, string password, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var user = accountId is null ? null : await store.FindUserAsync(accountId, userName, cancellationToken);
        var profile = user is null ? null : await store.FindLoginProfileAsync(user.AccountId, user.UserName, cancellationToken);
        var matches = PasswordHasher.Verify(password, profile?.PasswordHash ?? DummyHash.Value);
        var principal = user is null ? null : new Principal(PrincipalKind.User, user.AccountId, user.Arn, user.UserId, user.UserName);
        if (profile is null || !matches)
        {
            return Failed(principal);
        }

        var policy = await store.FindPasswordPolicyAsync(user!.AccountId, cancellationToken);
        var expired = policy?.IsExpired(profile.PasswordChangedAt, now) ?? false;
        if (expired && policy!.HardExpiry)
        {
            return new ConsoleSignInResult(ConsoleSignInOutcome.PasswordExpired, principal, true,
                "Your password has expired, and the account's password policy lets only an administrator set a new one (aws iam update-login-profile).");
        }

        return new ConsoleSignInResult(ConsoleSignInOutcome.SignedIn, principal, profile.PasswordResetRequired || expired, null);
    }

    private static ConsoleSignInResult Failed(Principal? found) => new(ConsoleSignInOutcome.Failed, found, false, FailedMessage);

    private async Task<string?> ResolveAccountAsync(string account, CancellationToken cancellationToken) =>
        account.Length == 12 && account.All(char.IsAsciiDigit)
            ? account
            : account.Length is >= 3 and <= 63 ? await store.FindAccountByAliasAsync(account.ToLowerInvariant(), cancellationToken) : null;

    private static string HiddenOrRoot(string? accountId, string userName) =>
        accountId is not null && string.Equals(userName, RootUserName, StringComparison.OrdinalIgnoreCase) ? Principal.Root(accountId).Arn : HiddenPrincipal;

    private void Audit(DateTimeOffset now, string principalArn, string clientAddress, bool allowed, string? errorCode) =>
        audit.Append([new AuditEntry(now, Guid.NewGuid().ToString(), principalArn, null, options.Region, AuditedAction, AuditedAction,
            principalArn == HiddenPrincipal ? null : principalArn, allowed ? "Allow" : "Deny", errorCode, clientAddress)]);
}
