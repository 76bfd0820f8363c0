using Cairn.Core.Identity;

namespace Cairn.Dashboard.SignIn;

/// <summary>
/// Checks a console sign-in (account id or alias, user name, password) as AWS's console does. The host registers one:
/// <see cref="RootConsoleSignIn"/> until IAM login profiles (ConsoleSignInService) take its place.
/// </summary>
public interface IConsoleSignIn
{
    /// <summary>The principal signed in, or null: the caller says the same for every wrong part, so nothing is learned from it.</summary>
    Task<Principal?> SignInAsync(string account, string userName, string password, string clientAddress, CancellationToken cancellationToken);
}
