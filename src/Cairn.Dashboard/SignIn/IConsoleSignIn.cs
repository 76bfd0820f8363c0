using Cairn.Application.Identity;

namespace Cairn.Dashboard.SignIn;

/// <summary>
/// Checks a console sign-in (account id or alias, user name, password) as AWS's console does. The host registers one:
/// <see cref="RootConsoleSignIn"/> unless it registers the IAM one (ConsoleSignInService: login profiles, lockout).
/// </summary>
public interface IConsoleSignIn
{
    /// <summary>
    /// The principal signed in (and whether it must change its password first), or why not, in words fit for the sign-in
    /// page: the same for every wrong part, so nothing is learned from it; a lockout says how long it lasts.
    /// </summary>
    Task<ConsoleSignInResult> SignInAsync(string account, string userName, string password, string clientAddress, CancellationToken cancellationToken);
}
