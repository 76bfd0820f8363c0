using Cairn.Core.Identity;

namespace Cairn.Core.Audit;

/// <summary>
/// The one way a request's authorization decisions reach the audit log, whatever surface took the request (the AWS
/// API, the build log endpoint, the build-role endpoint) or whoever made the call in-process (a build reading its
/// parameters as its role): one entry per decision, or one for the operation itself when it made none.
/// </summary>
public static class AuditRecording
{
    /// <param name="operation">What was asked, e.g. <c>ssm:GetParameters</c> or <c>cairn:FollowBuildLog</c>.</param>
    /// <param name="errorCode">The AWS error code the request ended with; null on success.</param>
    /// <param name="source">Where the request came from when not an address: the service that made it (codebuild.amazonaws.com), as CloudTrail shows it.</param>
    /// <param name="action">The action the entry names when the request made no decision; the operation when null.</param>
    public static void Record(this IAuditLog audit, RequestContext context, string operation, string? errorCode, string? source = null, string? action = null)
    {
        ArgumentNullException.ThrowIfNull(audit);
        audit.Append(Entries(context, operation, errorCode, source, action));
    }

    public static IReadOnlyList<AuditEntry> Entries(RequestContext context, string operation, string? errorCode, string? source = null, string? action = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var decisions = context.Audit.Decisions;
        if (decisions.Count == 0)
        {
            return [Entry(action ?? operation, null, "None")];
        }

        return decisions.Select(d => Entry(d.Action, d.Resource, d.Allowed ? "Allow" : "Deny")).ToList();

        AuditEntry Entry(string action, string? resource, string decision) => new(
            context.Time, context.RequestId, context.Principal.Arn, context.AccessKeyId, context.Region,
            operation, action, resource, decision, errorCode, source ?? context.SourceIp);
    }
}
