namespace Cairn.Core.Audit;

/// <summary>
/// One authorization decision (or one request that made none), as the audit log keeps it. Never a parameter value,
/// a secret key or a request body: only who, what, on which resource, and the outcome.
/// </summary>
/// <param name="Operation">The API operation, e.g. <c>ssm:GetParameter</c> (service signing name : operation).</param>
/// <param name="Action">The IAM action authorized, e.g. <c>kms:Decrypt</c>; equals the operation's action when no decision was made.</param>
/// <param name="Decision">Allow, Deny, or None when the request ended before any authorization (validation, signature).</param>
/// <param name="ErrorCode">The AWS error code the request ended with, or null on success.</param>
public sealed record AuditEntry(
    DateTimeOffset Time,
    string RequestId,
    string PrincipalArn,
    string? AccessKeyId,
    string Region,
    string Operation,
    string Action,
    string? Resource,
    string Decision,
    string? ErrorCode,
    string? SourceIp);
