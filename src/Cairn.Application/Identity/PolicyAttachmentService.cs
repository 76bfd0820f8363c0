using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// Managed policy attachments and inline policies, the same for users, roles and groups, as an application service:
/// each call authorized as IAM's action for the entity kind (<c>iam:AttachRolePolicy</c>, <c>iam:PutUserPolicy</c> …) on
/// the entity's ARN before it runs. IAM's Query API is an adapter over it; the dashboard calls it directly.
/// </summary>
public sealed class PolicyAttachmentService(IIdentityStore store, IAuthorizer authorizer, ManagedPolicyService policies)
{
    /// <summary>IAM's default quota of managed policies attached to one user, role or group.</summary>
    public const int MaxAttachedPolicies = 10;

    /// <summary>The word IAM's action names use for the kind: User, Role or Group.</summary>
    public static string Word(IamEntityKind kind) => kind switch
    {
        IamEntityKind.User => "User",
        IamEntityKind.Role => "Role",
        _ => "Group",
    };

    /// <summary>IAM's quota for the inline policies of one entity together (characters, white space not counted).</summary>
    public static int InlineLimit(IamEntityKind kind) => kind switch
    {
        IamEntityKind.User => 2048,
        IamEntityKind.Role => 10240,
        _ => 5120,
    };

    public async Task AttachPolicyAsync(RequestContext context, IamEntityKind kind, string name, string policyArn, CancellationToken cancellationToken)
    {
        await AuthorizeOnEntityAsync(context, $"Attach{Word(kind)}Policy", kind, name, cancellationToken);
        if (kind == IamEntityKind.Role && await store.FindRoleAsync(context.AccountId, name, cancellationToken) is null)
        {
            var roles = await store.ListRolesAsync(context.AccountId, cancellationToken);
            throw AwsErrors.NoSuchRoleToAttachTo(name, RoleNames.Closest(name, roles.Select(r => r.RoleName)));
        }

        await store.AttachPolicyAsync(context.AccountId, kind, name, policyArn, MaxAttachedPolicies, cancellationToken);
    }

    public async Task DetachPolicyAsync(RequestContext context, IamEntityKind kind, string name, string policyArn, CancellationToken cancellationToken)
    {
        await AuthorizeOnEntityAsync(context, $"Detach{Word(kind)}Policy", kind, name, cancellationToken);
        await store.DetachPolicyAsync(context.AccountId, kind, name, policyArn, cancellationToken);
    }

    /// <summary>The managed policies attached to the entity whose path starts with <paramref name="pathPrefix"/> (<c>/</c> when null).</summary>
    public async Task<IReadOnlyList<ManagedPolicyInfo>> ListAttachedPoliciesAsync(
        RequestContext context, IamEntityKind kind, string name, string? pathPrefix, CancellationToken cancellationToken)
    {
        await AuthorizeOnEntityAsync(context, $"ListAttached{Word(kind)}Policies", kind, name, cancellationToken);
        await CanonicalNameAsync(context, kind, name, cancellationToken);
        var attached = new List<ManagedPolicyInfo>();
        foreach (var arn in await store.ListAttachedPoliciesAsync(context.AccountId, kind, name, cancellationToken))
        {
            if (await policies.FindPolicyAsync(arn, cancellationToken) is { } policy && policy.Path.StartsWith(pathPrefix ?? "/", StringComparison.Ordinal))
            {
                attached.Add(policy);
            }
        }

        return attached;
    }

    /// <summary>
    /// The users, roles and groups a managed policy is attached to, with their ids; <paramref name="entityFilter"/> User,
    /// Role or Group keeps one kind (LocalManagedPolicy, AWSManagedPolicy or null keep all).
    /// </summary>
    public async Task<IReadOnlyList<(IamEntityKind Kind, string Name, string? Id)>> ListEntitiesForPolicyAsync(
        RequestContext context, string policyArn, string? entityFilter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListEntitiesForPolicy", policyArn, cancellationToken);
        _ = await policies.FindVisiblePolicyAsync(context, policyArn, cancellationToken) ?? throw AwsErrors.NoSuchPolicy(policyArn);
        var entities = new List<(IamEntityKind Kind, string Name, string? Id)>();
        foreach (var (kind, entityName) in await store.ListEntitiesForPolicyAsync(context.AccountId, policyArn, cancellationToken))
        {
            if (entityFilter is null or "LocalManagedPolicy" or "AWSManagedPolicy" || string.Equals(entityFilter, kind.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                entities.Add((kind, entityName, await EntityIdAsync(context, kind, entityName, cancellationToken)));
            }
        }

        return entities;
    }

    /// <summary>Adds or replaces an inline policy; its grammar is checked here, the entity's inline quota by the store.</summary>
    public async Task PutInlinePolicyAsync(RequestContext context, IamEntityKind kind, string name, string policyName, string document, CancellationToken cancellationToken)
    {
        await AuthorizeOnEntityAsync(context, $"Put{Word(kind)}Policy", kind, name, cancellationToken);
        PolicyDocument.Parse(document, PolicyKind.Inline);
        await store.PutInlinePolicyAsync(context.AccountId, new InlinePolicy(kind, name, policyName, document), InlineLimit(kind), cancellationToken);
    }

    /// <summary>The inline policy and the entity's name as stored (its case); NoSuchEntity when either is missing.</summary>
    public async Task<(string EntityName, InlinePolicy Policy)> GetInlinePolicyAsync(
        RequestContext context, IamEntityKind kind, string name, string policyName, CancellationToken cancellationToken)
    {
        await AuthorizeOnEntityAsync(context, $"Get{Word(kind)}Policy", kind, name, cancellationToken);
        var canonicalName = await CanonicalNameAsync(context, kind, name, cancellationToken);
        var policy = await store.FindInlinePolicyAsync(context.AccountId, kind, name, policyName, cancellationToken)
            ?? throw AwsErrors.NoSuchInlinePolicy(Word(kind).ToLowerInvariant(), policyName);
        return (canonicalName, policy);
    }

    public async Task DeleteInlinePolicyAsync(RequestContext context, IamEntityKind kind, string name, string policyName, CancellationToken cancellationToken)
    {
        await AuthorizeOnEntityAsync(context, $"Delete{Word(kind)}Policy", kind, name, cancellationToken);
        await store.DeleteInlinePolicyAsync(context.AccountId, kind, name, policyName, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListInlinePolicyNamesAsync(RequestContext context, IamEntityKind kind, string name, CancellationToken cancellationToken)
    {
        await AuthorizeOnEntityAsync(context, $"List{Word(kind)}Policies", kind, name, cancellationToken);
        await CanonicalNameAsync(context, kind, name, cancellationToken);
        var inline = await store.ListInlinePoliciesAsync(context.AccountId, kind, name, cancellationToken);
        return inline.Select(p => p.PolicyName).ToList();
    }

    /// <summary>Authorizes on the entity's ARN (with its path when it exists, else the root-path one).</summary>
    private async Task AuthorizeOnEntityAsync(RequestContext context, string action, IamEntityKind kind, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var arn = kind switch
        {
            IamEntityKind.User => IamArns.User(context, name, await store.FindUserAsync(context.AccountId, name, cancellationToken)),
            IamEntityKind.Role => RoleService.RoleArn(context, name, await store.FindRoleAsync(context.AccountId, name, cancellationToken)),
            _ => GroupService.GroupArn(context, name, await store.FindGroupAsync(context.AccountId, name, cancellationToken)),
        };
        await AuthorizeAsync(context, action, arn, cancellationToken);
    }

    private async Task<string> CanonicalNameAsync(RequestContext context, IamEntityKind kind, string name, CancellationToken cancellationToken) => kind switch
    {
        IamEntityKind.User => (await store.FindUserAsync(context.AccountId, name, cancellationToken))?.UserName ?? throw AwsErrors.NoSuchUser(name),
        IamEntityKind.Role => (await store.FindRoleAsync(context.AccountId, name, cancellationToken))?.RoleName ?? throw AwsErrors.NoSuchRole(name),
        _ => (await store.FindGroupAsync(context.AccountId, name, cancellationToken))?.GroupName ?? throw AwsErrors.NoSuchGroup(name),
    };

    private async Task<string?> EntityIdAsync(RequestContext context, IamEntityKind kind, string name, CancellationToken cancellationToken) => kind switch
    {
        IamEntityKind.User => (await store.FindUserAsync(context.AccountId, name, cancellationToken))?.UserId,
        IamEntityKind.Role => (await store.FindRoleAsync(context.AccountId, name, cancellationToken))?.RoleId,
        _ => (await store.FindGroupAsync(context.AccountId, name, cancellationToken))?.GroupId,
    };

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "iam:" + action, resourceArn, cancellationToken);
}
