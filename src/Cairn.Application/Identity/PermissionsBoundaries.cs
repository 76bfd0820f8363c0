using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// What setting a permissions boundary shares for users and roles: the <c>iam:PermissionsBoundary</c> condition key on the
/// authorizing request, and IAM's rule that a boundary is an existing managed policy of the account (or AWS managed).
/// </summary>
public static class PermissionsBoundaries
{
    /// <summary>The condition key IAM sets on CreateUser, CreateRole and the Put/Delete*PermissionsBoundary actions.</summary>
    public const string ConditionKey = "iam:PermissionsBoundary";

    /// <summary>The request to authorize, carrying the boundary ARN as <c>iam:PermissionsBoundary</c> when there is one.</summary>
    public static AccessRequest Request(string action, string resourceArn, string? boundaryArn) =>
        boundaryArn is null
            ? new AccessRequest(action, resourceArn)
            : new AccessRequest(action, resourceArn)
            {
                Conditions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [ConditionKey] = boundaryArn },
            };

    /// <summary>InvalidInput for a value that is not an ARN; NoSuchEntity (AWS's "Scope ARN" text) when no such managed policy exists.</summary>
    public static async Task CheckAsync(IIdentityStore store, string accountId, string boundaryArn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(boundaryArn);
        if (!boundaryArn.StartsWith("arn:", StringComparison.Ordinal) || boundaryArn.Split(':').Length < 6)
        {
            throw AwsErrors.InvalidArn(boundaryArn);
        }

        var exists = AwsManagedPolicies.IsAwsManagedArn(boundaryArn)
            ? AwsManagedPolicies.Find(boundaryArn) is not null
            : await store.FindPolicyAsync(boundaryArn, cancellationToken) is { } policy && policy.AccountId == accountId;
        if (!exists)
        {
            throw AwsErrors.BoundaryNotAttachable(boundaryArn);
        }
    }
}
