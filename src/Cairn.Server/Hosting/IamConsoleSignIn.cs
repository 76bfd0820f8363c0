using Cairn.Application.Identity;
using Cairn.Core.Identity;
using Cairn.Dashboard.SignIn;

namespace Cairn.Server.Hosting;

/// <summary>
/// The dashboard's sign-in through IAM: the root (user name root, its secret access key) and IAM users with a login
/// profile, checked, rate-limited and audited by <see cref="ConsoleSignInService"/>.
/// </summary>
internal sealed class IamConsoleSignIn(ConsoleSignInService signIn) : IConsoleSignIn
{
    public async Task<Principal?> SignInAsync(string account, string userName, string password, string clientAddress, CancellationToken cancellationToken)
    {
        var result = await signIn.SignInAsync(account, userName, password, clientAddress, cancellationToken);
        return result.Succeeded ? result.Principal : null;
    }
}
