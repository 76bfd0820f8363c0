using Cairn.Application.Identity;
using Cairn.Dashboard.SignIn;

namespace Cairn.Server.Hosting;

/// <summary>
/// The dashboard's sign-in through IAM: the root (user name root, its secret access key) and IAM users with a login
/// profile, checked, rate-limited (locked after repeated failures) and audited by <see cref="ConsoleSignInService"/>.
/// </summary>
internal sealed class IamConsoleSignIn(ConsoleSignInService signIn) : IConsoleSignIn
{
    public Task<ConsoleSignInResult> SignInAsync(string account, string userName, string password, string clientAddress, CancellationToken cancellationToken) =>
        signIn.SignInAsync(account, userName, password, clientAddress, cancellationToken);
}
