namespace Cairn.Core.Identity.Iam;

/// <summary>
/// An account's password policy, as UpdateAccountPasswordPolicy sets it (members left out take IAM's defaults: length 6,
/// every requirement off, no expiry, no reuse prevention).
/// </summary>
/// <param name="MaxPasswordAge">Days a password is valid; null: passwords never expire.</param>
/// <param name="PasswordReusePrevention">How many previous passwords a user may not reuse; null: no rule.</param>
/// <param name="HardExpiry">An expired password cannot be changed by its user, only reset by an administrator.</param>
public sealed record PasswordPolicy(
    int MinimumPasswordLength = 6,
    bool RequireSymbols = false,
    bool RequireNumbers = false,
    bool RequireUppercaseCharacters = false,
    bool RequireLowercaseCharacters = false,
    bool AllowUsersToChangePassword = false,
    int? MaxPasswordAge = null,
    int? PasswordReusePrevention = null,
    bool HardExpiry = false)
{
    public bool ExpirePasswords => MaxPasswordAge is > 0;

    /// <summary>Whether a password set at <paramref name="changedAt"/> has expired at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset changedAt, DateTimeOffset now) =>
        MaxPasswordAge is > 0 and var days && now - changedAt >= TimeSpan.FromDays(days);
}
