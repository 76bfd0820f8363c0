namespace Cairn.Core.Identity;

/// <summary>
/// One authorization question beyond "action on resource": the condition keys the calling service puts in the request
/// context (iam:PassedToService, kms:ViaService, ...) and whether a resource policy already grants the access.
/// </summary>
/// <param name="Action">The IAM action, e.g. <c>iam:PassRole</c>.</param>
/// <param name="ResourceArn">The resource the action is on.</param>
public sealed record AccessRequest(string Action, string ResourceArn)
{
    /// <summary>Service-specific condition keys for this request, added to the global ones.</summary>
    public IReadOnlyDictionary<string, string> Conditions { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// True when the resource's own policy allows the caller (as the key policy of an AWS managed key allows every
    /// principal of the account through its service): then only an explicit deny in the caller's policies refuses.
    /// </summary>
    public bool AllowedByResourcePolicy { get; init; }
}
