using System.Security.Cryptography;
using System.Text;
using Cairn.Application.Identity;
using Cairn.Core.Identity;
using Cairn.Dashboard.Hosting;

namespace Cairn.Dashboard.SignIn;

/// <summary>
/// Signs in the account's root user only: user name <c>root</c>, password the root access key's secret, checked against
/// the credential the API verifies signatures with, in constant time (both sides hashed first, so no length leaks).
/// </summary>
public sealed class RootConsoleSignIn(ICredentialResolver credentials, DashboardOptions options) : IConsoleSignIn
{
    public const string RootUserName = "root";

    public async Task<ConsoleSignInResult> SignInAsync(string account, string userName, string password, string clientAddress, CancellationToken cancellationToken)
    {
        var root = await credentials.FindAsync(options.RootAccessKeyId, cancellationToken);
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(root?.SecretAccessKey ?? string.Empty));
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(password ?? string.Empty));
        // Every part is compared whatever the others are: the time taken says nothing about which one was wrong.
        var secretMatches = CryptographicOperations.FixedTimeEquals(expected, given);
        var accountMatches = string.Equals(account?.Trim(), options.AccountId, StringComparison.Ordinal);
        var userMatches = string.Equals(userName?.Trim(), RootUserName, StringComparison.Ordinal);
        return root is { Principal.IsRoot: true } && secretMatches & accountMatches & userMatches
            ? new ConsoleSignInResult(ConsoleSignInOutcome.SignedIn, root.Principal, false, null)
            : new ConsoleSignInResult(ConsoleSignInOutcome.Failed, null, false, ConsoleSignInService.FailedMessage);
    }
}
