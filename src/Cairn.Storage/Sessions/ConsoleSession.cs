using Cairn.Core.Identity;

namespace Cairn.Storage.Sessions;

/// <summary>
/// A signed-in dashboard session as stored: only the SHA-256 of the cookie's token (the token itself is never kept), the
/// principal it runs as, and when it ends: at <see cref="ExpiresAt"/> (absolute) or when unused past the idle limit.
/// </summary>
/// <param name="PasswordChangeRequired">
/// The principal signed in with a password it must change first (PasswordResetRequired, or an expired password): the
/// session opens the change-password page only. A new session replaces it once the password is changed.
/// </param>
public sealed record ConsoleSession(
    byte[] TokenHash,
    Principal Principal,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    string? ClientAddress,
    bool PasswordChangeRequired = false);
