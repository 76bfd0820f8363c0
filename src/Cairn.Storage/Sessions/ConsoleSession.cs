using Cairn.Core.Identity;

namespace Cairn.Storage.Sessions;

/// <summary>
/// A signed-in dashboard session as stored: only the SHA-256 of the cookie's token (the token itself is never kept), the
/// principal it runs as, and when it ends: at <see cref="ExpiresAt"/> (absolute) or when unused past the idle limit.
/// </summary>
public sealed record ConsoleSession(
    byte[] TokenHash,
    Principal Principal,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    string? ClientAddress);
