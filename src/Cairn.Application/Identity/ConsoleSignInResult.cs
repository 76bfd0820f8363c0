using Cairn.Core.Identity;

namespace Cairn.Application.Identity;

public enum ConsoleSignInOutcome
{
    SignedIn,

    /// <summary>Wrong account, user or password, or a user without a login profile: which one is never said.</summary>
    Failed,

    /// <summary>Too many failed sign-ins of this user lately; the password was not checked.</summary>
    Locked,

    /// <summary>The password was right but has expired under a password policy with HardExpiry: only an administrator can reset it.</summary>
    PasswordExpired,
}

/// <summary>What a console sign-in came to: the signed-in principal, or a message fit to show on the sign-in page.</summary>
/// <param name="Principal">The root user or the IAM user signed in; null unless <see cref="Outcome"/> is SignedIn.</param>
/// <param name="PasswordResetRequired">The user must choose a new password (ChangePassword) before anything else: its login profile says so or its password has expired.</param>
/// <param name="RetryAfter">When Locked: how long until the user may try again.</param>
public sealed record ConsoleSignInResult(
    ConsoleSignInOutcome Outcome,
    Principal? Principal,
    bool PasswordResetRequired,
    string? Message,
    TimeSpan? RetryAfter = null)
{
    public bool Succeeded => Outcome == ConsoleSignInOutcome.SignedIn;

    public string? AccountId => Principal?.AccountId;
}
