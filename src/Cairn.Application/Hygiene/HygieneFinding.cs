namespace Cairn.Application.Hygiene;

/// <summary>
/// One finding of the secrets report: which rule, how bad, about what, why (never a secret value) and the exact
/// commands that fix it. <paramref name="File"/> and <paramref name="Line"/> locate it in a buildspec when it is one.
/// </summary>
/// <param name="Severity">error, warning or note (SARIF's levels).</param>
public sealed record HygieneFinding(
    string RuleId,
    string Severity,
    string Subject,
    string Message,
    string Evidence,
    IReadOnlyList<string> Fix,
    string? Note = null,
    string? File = null,
    int? Line = null);

/// <summary>The report: what was scanned and what was found, most severe first.</summary>
public sealed record SecretsReport(
    DateTimeOffset GeneratedAt,
    string AccountId,
    string Region,
    int ParametersScanned,
    int ProjectsScanned,
    IReadOnlyList<HygieneFinding> Findings);

/// <summary>The report's thresholds, in days.</summary>
public sealed record SecretsReportOptions(int MaxAgeDays = 90, int UnusedDays = 90, int ExpiringDays = 7);

/// <summary>A rule the report checks: its id, a short name, and what it means (SARIF's tool.driver.rules; docs/secrets-hygiene.md).</summary>
public sealed record HygieneRule(string Id, string Name, string Description);

public static class HygieneRules
{
    public const string PlaintextSecret = "plaintext-secret";
    public const string NamingRule = "naming-rule";
    public const string UnusedSecret = "unused-secret";
    public const string DuplicateSecret = "duplicate-secret";
    public const string StaleSecret = "stale-secret";
    public const string ExpiredParameter = "expired-parameter";
    public const string SecretOnCommandLine = "secret-on-command-line";
    public const string UnreferencedParameter = "unreferenced-parameter";
    public const string NotCompared = "not-compared";

    public static IReadOnlyList<HygieneRule> All { get; } =
    [
        new(PlaintextSecret, "Secret stored as String", "A String or StringList parameter whose name or value looks like a secret: anyone with ssm:GetParameter reads it, it is shown unmasked, and its history keeps it."),
        new(NamingRule, "Name breaks the naming rule", "A parameter name that does not fit the account's naming rule for its path."),
        new(UnusedSecret, "Secret not read", "A SecureString the audit trail shows no read of, never or for a long time: a secret nobody needs is one more to leak."),
        new(DuplicateSecret, "Same secret under several names", "The same value (compared by a keyed hash on the server) stored under several names: rotating one leaves the others."),
        new(StaleSecret, "Secret not rotated", "A secret not changed for longer than the maximum age."),
        new(ExpiredParameter, "Expiration policy passed or near", "A parameter whose Expiration policy has passed (it is deleted) or will within days."),
        new(SecretOnCommandLine, "Secret on a command line", "A buildspec command passes a secret as an argument (docker login -p): log masking cannot hide it from the host's processes."),
        new(UnreferencedParameter, "Parameter nothing references", "A parameter no project, inline buildspec or pipeline names and the audit trail shows no read of: likely left over."),
        new(NotCompared, "SecureStrings not compared", "SecureStrings under a KMS key the caller may not kms:Decrypt: left out of the duplicate-value comparison, with the statement that would let them in."),
    ];
}
