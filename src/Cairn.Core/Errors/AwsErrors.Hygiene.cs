namespace Cairn.Core.Errors;

/// <summary>Secret hygiene (Cairn's own API, `cairn secrets`): naming rules and the report. All texts are Cairn's.</summary>
public static partial class AwsErrors
{
    /// <summary>PutParameter of a new name that breaks an enforced naming rule: the rule, and a name that fits.</summary>
    public static AwsException NamingRuleViolation(string name, string pattern, string pathPrefix, string? example) =>
        Validation($"Parameter name {name} does not follow this account's naming rule '{pattern}'"
            + (pathPrefix == "/" ? string.Empty : $" for names under {pathPrefix}")
            + (example is null ? "." : $" (e.g. {example}).")
            + " Choose a name that fits, or see the rule with `cairn secrets naming show`.");

    public static AwsException InvalidNamingRule(string pattern, string reason) =>
        Validation($"Naming rule '{pattern}' is not valid: {reason}");

    public static AwsException InvalidNamingMode(string mode) =>
        Validation($"Naming rule mode '{mode}' is not valid: use enforce (reject new names that break it) or warn (accept them and record an audit note).");

    public static AwsException InvalidPathPrefix(string prefix) =>
        Validation($"Path prefix '{prefix}' is not valid: it must start and end with / (e.g. / or /prod/) and use letters, numbers, . - _ between.");

    public static AwsException NamingRuleNotFound(string pathPrefix) =>
        new("ResourceNotFoundException", $"There is no naming rule for path prefix {pathPrefix} in this account; `cairn secrets naming show` lists the rules.");

    public static AwsException InvalidReportOption(string member, string reason) =>
        Validation($"{member}: {reason}");

    public static AwsException PolicySuggestionPrincipal() =>
        Validation("Name exactly one of RoleName or UserName: the role (its sessions count as the role) or the user whose audited calls make the policy.");

    public static AwsException PolicySuggestionWindow(string since) =>
        Validation($"Since '{since}' is not valid: use a duration like 30d, 12h or 90m, or an ISO 8601 time like 2026-11-21T06:00:00Z, in the past.");
}
