namespace Cairn.Core.Errors;

/// <summary>
/// CodeBuild (CodeBuild_20161006) error codes and texts. Texts marked "verify"
/// are our wording where AWS's exact text is not known; everything else is AWS's own.
/// </summary>
public static partial class AwsErrors
{
    public static AwsException CodeBuildInvalidInput(string message) => new("InvalidInputException", message);

    public static AwsException ProjectNotFound(string projectArn) =>
        new("ResourceNotFoundException", $"Project cannot be found: {projectArn}");

    public static AwsException ProjectAlreadyExists(string projectArn) =>
        new("ResourceAlreadyExistsException", $"Project already exists: {projectArn}");

    /// <summary>verify.</summary>
    public static AwsException BuildNotFound(string buildId) =>
        new("ResourceNotFoundException", $"Build cannot be found: {buildId}");

    /// <summary>verify: a build id is "&lt;project&gt;:&lt;uuid&gt;".</summary>
    public static AwsException InvalidBuildId(string buildId) =>
        CodeBuildInvalidInput($"Invalid build ID provided: {buildId}. A build ID looks like <project-name>:<build-uuid>.");

    /// <summary>
    /// AWS's AccessDenied for iam:PassRole (the caller may not hand the role to the service), followed by the statement
    /// that grants it, scoped to the role and the service with iam:PassedToService.
    /// </summary>
    public static AwsException PassRoleDenied(string denial, string roleArn, string service) =>
        AccessDenied($"{denial}. Passing a role to {service} lets everything it runs act as that role, so the caller needs "
            + $"iam:PassRole on it; to allow it, add this statement to the caller's policy: "
            + $"{{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"{roleArn}\",\"Condition\":{{\"StringEquals\":{{\"iam:PassedToService\":\"{service}\"}}}}}}");

    /// <summary>
    /// Cairn's own permission for privileged mode: a privileged build gets the host's Docker engine, which is root on the
    /// Cairn host (AWS runs it in a throwaway VM), so codebuild:* alone must not grant it.
    /// </summary>
    public static AwsException PrivilegedBuildDenied(string denial, string projectArn) =>
        AccessDenied($"{denial}. Privileged mode gives the build this host's Docker engine, which is root on the Cairn host, so "
            + "configuring it (or changing what a privileged project runs) needs this permission of Cairn's own; to allow it, add this statement "
            + $"to the caller's policy: {{\"Effect\":\"Allow\",\"Action\":\"cairn:RunPrivilegedBuild\",\"Resource\":\"{projectArn}\"}}");

    /// <summary>verify.</summary>
    public static AwsException InvalidServiceRole(string role, string accountId) =>
        CodeBuildInvalidInput($"Invalid service role: {role}. It must be the ARN of a role in account {accountId}, like arn:aws:iam::{accountId}:role/codebuild-service-role.");

    /// <summary>verify.</summary>
    public static AwsException NoSourceNeedsBuildspec() =>
        CodeBuildInvalidInput("Project source buildspec cannot be empty when source type is NO_SOURCE.");

    /// <summary>verify.</summary>
    public static AwsException SourceLocationRequired(string type) =>
        CodeBuildInvalidInput($"Source location is required for source type {type}.");

    /// <summary>verify.</summary>
    public static AwsException ReservedEnvironmentVariable(string name) =>
        CodeBuildInvalidInput($"Invalid environment variable name: {name}. Names that start with CODEBUILD_ are reserved for CodeBuild's own variables.");

    /// <summary>verify.</summary>
    public static AwsException IdempotencyMismatch() =>
        CodeBuildInvalidInput("The idempotency token was used with a different request within the last 5 minutes; use a new token for a different build.");

    /// <summary>verify.</summary>
    public static AwsException InvalidNextTokenInput() => CodeBuildInvalidInput("Invalid next token.");

    /// <summary>verify.</summary>
    public static AwsException ReportGroupNotFound(string arn) =>
        new("ResourceNotFoundException", $"Report group {arn} does not exist in this account and region; aws codebuild list-report-groups shows the ones that do.");

    /// <summary>verify.</summary>
    public static AwsException ReportNotFound(string arn) =>
        new("ResourceNotFoundException", $"Report {arn} does not exist in this account and region; aws codebuild list-reports shows the ones that do.");

    /// <summary>verify.</summary>
    public static AwsException ReportGroupAlreadyExists(string arn) =>
        new("ResourceAlreadyExistsException", $"Report group {arn} already exists; use update-report-group to change it, or choose another name.");

    /// <summary>verify.</summary>
    public static AwsException ReportGroupHasReports(string arn) =>
        CodeBuildInvalidInput($"Report group {arn} still has reports; delete them first, or pass --delete-reports (deleteReports: true) to delete them with the group.");

    /// <summary>verify.</summary>
    public static AwsException InvalidReportGroupArn(string arn) =>
        CodeBuildInvalidInput($"Invalid report group ARN: {arn}. A report group ARN looks like arn:aws:codebuild:<region>:<account>:report-group/<name>.");

    /// <summary>verify.</summary>
    public static AwsException InvalidReportArn(string arn) =>
        CodeBuildInvalidInput($"Invalid report ARN: {arn}. A report ARN looks like arn:aws:codebuild:<region>:<account>:report/<group>:<id>.");

    /// <summary>verify.</summary>
    public static AwsException InvalidReportGroupName(string name) =>
        CodeBuildInvalidInput($"Invalid report group name: {name}. Use 2 to 128 letters, digits, '-' and '_', starting with a letter or digit.");

    /// <summary>verify.</summary>
    public static AwsException InvalidTestCaseStatus(string status) =>
        CodeBuildInvalidInput($"Invalid test case status filter: {status}. Use one of SUCCEEDED, FAILED, ERROR, SKIPPED, UNKNOWN.");

    /// <summary>verify: a trend field of the other report type.</summary>
    public static AwsException TrendFieldNotOfType(string field, string type) =>
        CodeBuildInvalidInput($"Trend field {field} does not apply to a {type} report group; TEST groups take PASS_RATE, DURATION, TOTAL, coverage groups the LINE_ and BRANCH fields.");
}
