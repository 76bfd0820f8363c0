namespace Cairn.Core.Errors;

/// <summary>The wire protocol of a request; some errors have a different code in each (InvalidSignatureException vs SignatureDoesNotMatch).</summary>
public enum AwsProtocol
{
    /// <summary>AWS JSON 1.0/1.1 (<c>X-Amz-Target</c>): SSM, KMS, CodeBuild, Logs.</summary>
    Json,

    /// <summary>AWS Query (form-encoded <c>Action=</c>, XML responses): IAM, STS.</summary>
    Query,
}
