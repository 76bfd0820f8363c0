using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// IAM managed policies as an application service: customer managed ones (versions, tags) and the AWS managed ones Cairn
/// ships (read-only). Each call authorized as <c>iam:&lt;Action&gt;</c> on the policy's ARN before it runs; the document's
/// grammar and size are checked here. IAM's Query API is an adapter over it; the dashboard calls it directly.
/// </summary>
public sealed class ManagedPolicyService(IIdentityStore store, IAuthorizer authorizer, TimeProvider time)
{
    /// <summary>IAM's default quota for a managed policy document (characters, white space not counted).</summary>
    public const int MaxManagedPolicySize = 6144;

    /// <summary>Versions a customer managed policy keeps at most.</summary>
    public const int MaxPolicyVersions = 5;

    public async Task<ManagedPolicyInfo> CreatePolicyAsync(
        RequestContext context, string policyName, string? path, string document, string? description, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        IamTags.EnsureUniqueKeys(tags);
        var arn = IamArns.Of(context.AccountId, "policy", path ?? "/", policyName);
        await AuthorizeAsync(context, "CreatePolicy", arn, cancellationToken);
        CheckManagedPolicy(document);
        var now = time.GetUtcNow();
        var policy = new ManagedPolicyInfo(arn, context.AccountId, policyName, IdentityIds.PolicyId(), path ?? "/", "v1", description, now, now);
        await store.CreatePolicyAsync(policy, document, tags, cancellationToken);
        return policy;
    }

    /// <summary>The policy, how many entities it is attached to, and its tags (none for an AWS managed policy).</summary>
    public async Task<(ManagedPolicyInfo Policy, int AttachmentCount, IReadOnlyList<IamTag> Tags)> GetPolicyAsync(
        RequestContext context, string arn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "GetPolicy", arn, cancellationToken);
        var policy = await FindVisiblePolicyAsync(context, arn, cancellationToken) ?? throw AwsErrors.NoSuchPolicy(arn);
        IReadOnlyList<IamTag> tags = policy.IsAwsManaged ? [] : await store.ListTagsAsync(context.AccountId, IamEntityKind.Policy, arn, cancellationToken);
        return (policy, await AttachmentCountAsync(context, arn, cancellationToken), tags);
    }

    /// <summary>
    /// The policies of <paramref name="scope"/> (AWS, Local, else All) under <paramref name="pathPrefix"/>, with their
    /// attachment counts, only the attached ones when asked, ordered by name ignoring case.
    /// </summary>
    public async Task<IReadOnlyList<(ManagedPolicyInfo Policy, int AttachmentCount)>> ListPoliciesAsync(
        RequestContext context, string? scope, string? pathPrefix, bool onlyAttached, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListPolicies", IamArns.Of(context.AccountId, "policy", "/", string.Empty), cancellationToken);
        IEnumerable<ManagedPolicyInfo> policies = scope switch
        {
            "AWS" => AwsManagedPolicies.All,
            "Local" => await store.ListPoliciesAsync(context.AccountId, cancellationToken),
            _ => AwsManagedPolicies.All.Concat(await store.ListPoliciesAsync(context.AccountId, cancellationToken)),
        };
        var counted = new List<(ManagedPolicyInfo Policy, int Count)>();
        foreach (var policy in policies.Where(p => pathPrefix is null || p.Path.StartsWith(pathPrefix, StringComparison.Ordinal)))
        {
            counted.Add((policy, await AttachmentCountAsync(context, policy.Arn, cancellationToken)));
        }

        return counted
            .Where(p => !onlyAttached || p.Count > 0)
            .OrderBy(p => p.Policy.PolicyName, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public async Task DeletePolicyAsync(RequestContext context, string arn, CancellationToken cancellationToken)
    {
        await AuthorizeCustomerManagedAsync(context, "DeletePolicy", arn, cancellationToken);
        await store.DeletePolicyAsync(OwnPolicy(context, arn), cancellationToken);
    }

    public async Task<PolicyVersionInfo> CreatePolicyVersionAsync(RequestContext context, string arn, string document, bool setAsDefault, CancellationToken cancellationToken)
    {
        await AuthorizeCustomerManagedAsync(context, "CreatePolicyVersion", arn, cancellationToken);
        CheckManagedPolicy(document);
        return await store.CreatePolicyVersionAsync(OwnPolicy(context, arn), document, setAsDefault, MaxPolicyVersions, time.GetUtcNow(), cancellationToken);
    }

    public async Task<PolicyVersionInfo> GetPolicyVersionAsync(RequestContext context, string arn, string versionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "GetPolicyVersion", arn, cancellationToken);
        return (AwsManagedPolicies.IsAwsManagedArn(arn)
                ? AwsManagedPolicies.FindVersion(arn, versionId)
                : await store.FindPolicyVersionAsync(OwnPolicy(context, arn), versionId, cancellationToken))
            ?? throw AwsErrors.NoSuchEntity($"Policy {arn} version {versionId} does not exist.");
    }

    public async Task<IReadOnlyList<PolicyVersionInfo>> ListPolicyVersionsAsync(RequestContext context, string arn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListPolicyVersions", arn, cancellationToken);
        if (AwsManagedPolicies.IsAwsManagedArn(arn))
        {
            return AwsManagedPolicies.FindVersion(arn) is { } only ? [only] : throw AwsErrors.NoSuchPolicy(arn);
        }

        return await FindVisiblePolicyAsync(context, arn, cancellationToken) is not null ? await store.ListPolicyVersionsAsync(arn, cancellationToken) : throw AwsErrors.NoSuchPolicy(arn);
    }

    public async Task DeletePolicyVersionAsync(RequestContext context, string arn, string versionId, CancellationToken cancellationToken)
    {
        await AuthorizeCustomerManagedAsync(context, "DeletePolicyVersion", arn, cancellationToken);
        await store.DeletePolicyVersionAsync(OwnPolicy(context, arn), versionId, cancellationToken);
    }

    public async Task SetDefaultPolicyVersionAsync(RequestContext context, string arn, string versionId, CancellationToken cancellationToken)
    {
        await AuthorizeCustomerManagedAsync(context, "SetDefaultPolicyVersion", arn, cancellationToken);
        await store.SetDefaultPolicyVersionAsync(OwnPolicy(context, arn), versionId, time.GetUtcNow(), cancellationToken);
    }

    public async Task TagPolicyAsync(RequestContext context, string arn, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken)
    {
        IamTags.EnsureUniqueKeys(tags);
        await AuthorizeCustomerManagedAsync(context, "TagPolicy", arn, cancellationToken);
        await store.TagAsync(context.AccountId, IamEntityKind.Policy, arn, tags, IamTags.MaxPerEntity, cancellationToken);
    }

    public async Task UntagPolicyAsync(RequestContext context, string arn, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken)
    {
        await AuthorizeCustomerManagedAsync(context, "UntagPolicy", arn, cancellationToken);
        await store.UntagAsync(context.AccountId, IamEntityKind.Policy, arn, tagKeys, cancellationToken);
    }

    public async Task<IReadOnlyList<IamTag>> ListPolicyTagsAsync(RequestContext context, string arn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListPolicyTags", arn, cancellationToken);
        _ = await FindVisiblePolicyAsync(context, arn, cancellationToken) ?? throw AwsErrors.NoSuchPolicy(arn);
        return await store.ListTagsAsync(context.AccountId, IamEntityKind.Policy, arn, cancellationToken);
    }

    /// <summary>A policy ARN as IAM accepts it (InvalidInput otherwise).</summary>
    public static string CheckPolicyArn(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        if (!arn.StartsWith("arn:aws:iam::", StringComparison.Ordinal) || !arn.Contains(":policy/", StringComparison.Ordinal))
        {
            throw AwsErrors.InvalidInput($"ARN {arn} is not valid.");
        }

        return arn;
    }

    /// <summary>A managed policy document's grammar (MalformedPolicyDocument) and size (LimitExceeded PolicySize).</summary>
    public static void CheckManagedPolicy(string document)
    {
        PolicyDocument.Parse(document, PolicyKind.Managed);
        if (PolicySize.Of(document) > MaxManagedPolicySize)
        {
            throw AwsErrors.Quota("PolicySize", MaxManagedPolicySize);
        }
    }

    /// <summary>An AWS managed policy, or a customer managed one of the caller's account (another account's is not found, as on AWS).</summary>
    internal async Task<ManagedPolicyInfo?> FindVisiblePolicyAsync(RequestContext context, string arn, CancellationToken cancellationToken) =>
        AwsManagedPolicies.IsAwsManagedArn(arn) || IsOwn(context, arn) ? await FindPolicyAsync(arn, cancellationToken) : null;

    internal async Task<ManagedPolicyInfo?> FindPolicyAsync(string arn, CancellationToken cancellationToken) =>
        AwsManagedPolicies.IsAwsManagedArn(arn) ? AwsManagedPolicies.Find(arn) : await store.FindPolicyAsync(arn, cancellationToken);

    /// <summary>A customer managed policy ARN must belong to the caller's account.</summary>
    private static string OwnPolicy(RequestContext context, string arn) => IsOwn(context, arn) ? arn : throw AwsErrors.NoSuchPolicy(arn);

    private static bool IsOwn(RequestContext context, string arn) => arn.StartsWith($"arn:aws:iam::{context.AccountId}:policy/", StringComparison.Ordinal);

    private async Task<int> AttachmentCountAsync(RequestContext context, string arn, CancellationToken cancellationToken) =>
        (await store.ListEntitiesForPolicyAsync(context.AccountId, arn, cancellationToken)).Count;

    /// <summary>Authorizes, then refuses AWS managed policies (UnmodifiableEntity): only customer managed ones change.</summary>
    private async Task AuthorizeCustomerManagedAsync(RequestContext context, string action, string arn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, action, arn, cancellationToken);
        if (AwsManagedPolicies.IsAwsManagedArn(arn))
        {
            throw AwsErrors.UnmodifiableEntity($"Cannot modify the AWS managed policy {arn}.");
        }
    }

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "iam:" + action, resourceArn, cancellationToken);
}
