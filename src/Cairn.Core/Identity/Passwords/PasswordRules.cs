using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;

namespace Cairn.Core.Identity.Passwords;

/// <summary>
/// What IAM checks a new console password against: the account's password policy, or without one IAM's default rules
/// (at least 8 characters and three of the four character types). Violations are PasswordPolicyViolation with IAM's texts.
/// </summary>
public static class PasswordRules
{
    /// <summary>The characters IAM counts as symbols.</summary>
    public const string Symbols = "!@#$%^&*()_+-=[]{}|'";

    /// <summary>The default rules' minimum length, when the account has no password policy.</summary>
    public const int DefaultMinimumLength = 8;

    /// <summary>Throws PasswordPolicyViolation naming every rule <paramref name="password"/> breaks (all of them at once, so one retry can fix them).</summary>
    public static void Enforce(PasswordPolicy? policy, string password)
    {
        var violations = Violations(policy, password);
        if (violations.Count > 0)
        {
            throw AwsErrors.PasswordPolicyViolation(string.Join("; ", violations));
        }
    }

    public static IReadOnlyList<string> Violations(PasswordPolicy? policy, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var (upper, lower, number, symbol) = (password.Any(char.IsAsciiLetterUpper), password.Any(char.IsAsciiLetterLower),
            password.Any(char.IsAsciiDigit), password.Any(c => Symbols.Contains(c, StringComparison.Ordinal)));
        var violations = new List<string>();
        if (policy is null)
        {
            if (password.Length < DefaultMinimumLength)
            {
                violations.Add($"Password should have a minimum length of {DefaultMinimumLength}");
            }

            if (new[] { upper, lower, number, symbol }.Count(present => present) < 3)
            {
                violations.Add("Password should have at least three of these character types: uppercase letters, lowercase letters, numbers, symbols "
                    + $"({Symbols}). This is IAM's default rule while the account has no password policy (aws iam update-account-password-policy sets one)");
            }

            return violations;
        }

        if (password.Length < policy.MinimumPasswordLength)
        {
            violations.Add($"Password should have a minimum length of {policy.MinimumPasswordLength}");
        }

        if (policy.RequireUppercaseCharacters && !upper)
        {
            violations.Add("Password should have at least one uppercase letter");
        }

        if (policy.RequireLowercaseCharacters && !lower)
        {
            violations.Add("Password should have at least one lowercase letter");
        }

        if (policy.RequireNumbers && !number)
        {
            violations.Add("Password should have at least one number");
        }

        if (policy.RequireSymbols && !symbol)
        {
            violations.Add($"Password should have at least one symbol ({Symbols})");
        }

        return violations;
    }
}
