namespace Cairn.Core.Errors;

/// <summary>STS's GetSessionToken and GetAccessKeyInfo errors, and the limits AWS puts on GetSessionToken's credentials.</summary>
public static partial class AwsErrors
{
    /// <summary>AWS's text: GetSessionToken takes an IAM user's or the root user's long-term key only.</summary>
    public static AwsException SessionTokenFromSession() =>
        QueryAccessDenied("Cannot call GetSessionToken with session credentials");

    /// <summary>AWS refuses IAM calls made with GetSessionToken's credentials unless MFA was given; Cairn has no MFA.</summary>
    public static AwsException SessionTokenCannotCallIam() =>
        new("InvalidClientTokenId",
            "The security token included in the request is invalid: credentials from GetSessionToken cannot call IAM without MFA, which Cairn does not offer. Call IAM with the user's long-term access key.",
            403);

    /// <summary>GetSessionToken's credentials may call only AssumeRole and GetCallerIdentity of STS.</summary>
    public static AwsException SessionTokenCannotCallSts(string action) =>
        QueryAccessDenied($"Cannot call {action} with credentials from GetSessionToken: they may call only AssumeRole and GetCallerIdentity of STS. Use the user's long-term access key.");

    /// <summary>An access key id this server never issued (or one deleted since): there is no account to report.</summary>
    public static AwsException UnknownAccessKey(string accessKeyId) =>
        new("InvalidParameterValue", $"The access key {accessKeyId} was not issued by this server or has been deleted, so it belongs to no account here. Check the key id.");

    /// <summary>AWS answers a wrong MFA code with AccessDenied; Cairn has no MFA devices to check one against.</summary>
    public static AwsException NoMfaDevices() =>
        QueryAccessDenied("MultiFactorAuthentication failed: Cairn has no MFA devices. Call GetSessionToken without SerialNumber and TokenCode.");
}
