namespace Cairn.Core.Errors;

/// <summary>IAM's credential report (GetCredentialReport's codes and statuses from the model).</summary>
public static partial class AwsErrors
{
    public static AwsException CredentialReportNotPresent() => new("ReportNotPresent",
        "No credential report exists for this account. Generate one with aws iam generate-credential-report, then call get-credential-report again.", 410);

    public static AwsException CredentialReportExpired(DateTimeOffset generatedAt) => new("ReportExpired",
        $"The credential report generated at {generatedAt.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'} is more than 4 hours old. "
        + "Generate a new one with aws iam generate-credential-report.", 410);

    public static AwsException CredentialReportInProgress() => new("ReportInProgress",
        "The credential report is still being generated. Call get-credential-report again in a few seconds.", 404);
}
