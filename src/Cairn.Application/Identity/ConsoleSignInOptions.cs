using System.Security.Cryptography;
using System.Text;

namespace Cairn.Application.Identity;

/// <summary>
/// What console sign-in needs from the host: the account the root user belongs to, the root's secret access key (the
/// root's console password), and the region sign-ins are audited in. The secret is never shown by <see cref="ToString"/>.
/// </summary>
public sealed class ConsoleSignInOptions(string accountId, string rootSecretAccessKey, string region)
{
    private readonly byte[] _rootSecretDigest = SHA256.HashData(Encoding.UTF8.GetBytes(rootSecretAccessKey ?? throw new ArgumentNullException(nameof(rootSecretAccessKey))));

    public string AccountId { get; } = accountId;

    public string Region { get; } = region;

    /// <summary>Failed sign-ins of one user that lock it out for the rest of <see cref="FailureWindow"/>.</summary>
    public int MaxFailures { get; init; } = 5;

    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Whether <paramref name="password"/> is the root's secret access key, compared in constant time.</summary>
    public bool IsRootSecret(string password) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(password)), _rootSecretDigest);

    /// <summary>
    /// The key the lockout stores a user's failures under: an HMAC of <paramref name="accountAndUser"/> keyed by the root's
    /// secret (which every server on a database shares), so what is stored names no one, and a password typed in the user
    /// name box cannot be recovered from it by hashing guesses.
    /// </summary>
    public byte[] FailureKey(string accountAndUser) =>
        HMACSHA256.HashData(_rootSecretDigest, Encoding.UTF8.GetBytes("cairn:console-sign-in-failures:v1:" + accountAndUser));

    public override string ToString() => $"ConsoleSignInOptions {{ AccountId = {AccountId}, Region = {Region} }}";
}
