using System.Security.Cryptography;
using Cairn.Core.Identity;
using Cairn.Dashboard.Hosting;
using Cairn.Storage.Sessions;

namespace Cairn.Dashboard.Sessions;

/// <summary>
/// Starts, resumes and ends dashboard sessions. The cookie carries a random 256-bit token; the store keeps only its
/// SHA-256, so neither the database nor a backup holds anything a browser could present.
/// </summary>
public sealed class ConsoleSessions(IConsoleSessionStore store, DashboardOptions options, TimeProvider time)
{
    /// <summary>
    /// Signs <paramref name="principal"/> in; returns the token for the cookie and when it expires. With
    /// <paramref name="passwordChangeRequired"/> the session opens only the change-password page until a new session replaces it.
    /// </summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> StartAsync(
        Principal principal, string? clientAddress, bool passwordChangeRequired, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await store.PurgeAsync(now, now - options.IdleTimeout, cancellationToken);
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expires = now + options.SessionLifetime;
        await store.CreateAsync(new ConsoleSession(Hash(token), principal, now, now, expires, clientAddress, passwordChangeRequired), cancellationToken);
        return (token, expires);
    }

    /// <summary>The live session behind a cookie's token, its last use moved to now; null when unknown, expired or idle too long.</summary>
    public async Task<ConsoleSession?> ResumeAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length != 43)
        {
            return null;
        }

        var hash = Hash(token);
        var session = await store.FindAsync(hash, cancellationToken);
        if (session is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now >= session.ExpiresAt || now - session.LastSeenAt >= options.IdleTimeout)
        {
            await store.DeleteAsync(hash, cancellationToken);
            return null;
        }

        if (now - session.LastSeenAt >= options.TouchInterval)
        {
            await store.TouchAsync(hash, now, cancellationToken);
        }

        return session;
    }

    /// <summary>Signs out: the session is gone from the store, so the cookie is worthless everywhere.</summary>
    public Task EndAsync(string token, CancellationToken cancellationToken) => store.DeleteAsync(Hash(token), cancellationToken);

    internal static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
