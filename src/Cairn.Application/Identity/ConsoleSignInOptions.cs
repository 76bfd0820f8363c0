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

    public override string ToString() => $"ConsoleSignInOptions {{ AccountId = {AccountId}, Region = {Region} }}";
}
