namespace Cairn.Core.Identity.Iam;

/// <summary>An IAM user's console password: only its hash (<see cref="Passwords.PasswordHasher"/>), never the password.</summary>
/// <param name="PasswordChangedAt">When the password was last set, for the password policy's MaxPasswordAge.</param>
public sealed record LoginProfile(
    string AccountId,
    string UserName,
    string PasswordHash,
    bool PasswordResetRequired,
    DateTimeOffset CreateDate,
    DateTimeOffset PasswordChangedAt);
