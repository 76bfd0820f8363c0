using System.Collections.Concurrent;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Storage.Changes;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity.Authorization;

/// <summary>
/// The policies in force for users, roles and groups, compiled and cached until the identity store changes
/// (its change feed moves on every write), so authorizing a request costs no parsing and no database round trip:
/// on a cache hit every method completes synchronously.
/// </summary>
public sealed class IdentityDirectory(IIdentityStore store, IChangeFeed<IIdentityStore> changes)
{
    private const int MaxCachedDocuments = 4096;
    private const int MaxCachedSessions = 100_000;

    private readonly ConcurrentDictionary<string, (long Generation, PrincipalPolicies Policies)> _byIdentity = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PolicyDocument> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoleSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Generation, AccessKeyInfo? Key, IamUser? User)> _keys = new(StringComparer.Ordinal);

    /// <summary>A role session by its access key id; sessions never change, so a found one is kept (until the cache is full).</summary>
    public ValueTask<RoleSession?> FindSessionAsync(string accessKeyId, CancellationToken cancellationToken) =>
        _sessions.TryGetValue(accessKeyId, out var session)
            ? ValueTask.FromResult<RoleSession?>(session)
            : LoadSessionAsync(accessKeyId, cancellationToken);

    private async ValueTask<RoleSession?> LoadSessionAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        var session = await store.FindSessionAsync(accessKeyId, cancellationToken);
        if (session is not null)
        {
            if (_sessions.Count > MaxCachedSessions)
            {
                _sessions.Clear();
            }

            _sessions[accessKeyId] = session;
        }

        return session;
    }

    /// <summary>An IAM user's access key and its user, cached until the identity store changes.</summary>
    public async ValueTask<(AccessKeyInfo? Key, IamUser? User)> FindAccessKeyAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        var generation = await changes.CurrentAsync(cancellationToken);
        if (_keys.TryGetValue(accessKeyId, out var cached) && cached.Generation == generation)
        {
            return (cached.Key, cached.User);
        }

        var key = await store.FindAccessKeyAsync(accessKeyId, cancellationToken);
        var user = key is null ? null : await store.FindUserAsync(key.AccountId, key.UserName, cancellationToken);
        if (_keys.Count > MaxCachedSessions)
        {
            _keys.Clear();
        }

        _keys[accessKeyId] = (generation, key, user);
        return (key, user);
    }

    /// <summary>Policies of the identity behind a request's principal; none for the root user (always allowed) and services.</summary>
    /// <remarks>
    /// A session's principal names its role, but belongs to the role's id (ROLEID:SESSION), as on AWS: once the role is
    /// deleted, a new role of the same name grants the old sessions nothing.
    /// </remarks>
    public async ValueTask<PrincipalPolicies> ForPrincipalAsync(Principal principal, CancellationToken cancellationToken)
    {
        var policies = principal.Kind switch
        {
            PrincipalKind.User => await ForEntityAsync(IamEntityKind.User, principal.AccountId, principal.Name!, cancellationToken),
            PrincipalKind.AssumedRole => await ForEntityAsync(IamEntityKind.Role, principal.AccountId, principal.Name!, cancellationToken),
            _ => PrincipalPolicies.None,
        };
        // A user's access keys go when the user goes; a role's sessions outlive the role.
        return principal.Kind != PrincipalKind.AssumedRole
            || string.Equals(policies.EntityId, principal.UserId.Split(':')[0], StringComparison.Ordinal)
            ? policies
            : PrincipalPolicies.None;
    }

    public async ValueTask<PrincipalPolicies> ForEntityAsync(IamEntityKind kind, string accountId, string name, CancellationToken cancellationToken)
    {
        var key = $"{accountId}/{kind}/{name.ToUpperInvariant()}";
        var generation = await changes.CurrentAsync(cancellationToken);
        if (_byIdentity.TryGetValue(key, out var cached) && cached.Generation == generation)
        {
            return cached.Policies;
        }

        var loaded = await LoadAsync(kind, accountId, name, cancellationToken);
        _byIdentity[key] = (generation, loaded);
        return loaded;
    }

    /// <summary>Parses (once per distinct text) a document that was validated when it was stored.</summary>
    public PolicyDocument Compile(string text, PolicyKind kind = PolicyKind.Inline)
    {
        var key = kind == PolicyKind.Trust ? "trust:" + text : text;
        if (_documents.TryGetValue(key, out var document))
        {
            return document;
        }

        if (_documents.Count > MaxCachedDocuments)
        {
            _documents.Clear();
        }

        document = PolicyDocument.Parse(text, kind == PolicyKind.Trust ? PolicyKind.Trust : PolicyKind.Inline);
        _documents[key] = document;
        return document;
    }

    private async Task<PrincipalPolicies> LoadAsync(IamEntityKind kind, string accountId, string name, CancellationToken cancellationToken)
    {
        var sources = new List<EffectivePolicy>();
        string? arn;
        string? id;
        string? boundaryArn = null;
        IReadOnlyList<IamTag> tags;
        switch (kind)
        {
            case IamEntityKind.User:
                var user = await store.FindUserAsync(accountId, name, cancellationToken);
                if (user is null)
                {
                    return PrincipalPolicies.None;
                }

                arn = user.Arn;
                id = user.UserId;
                boundaryArn = user.PermissionsBoundary;
                tags = await store.ListTagsAsync(accountId, IamEntityKind.User, user.UserName, cancellationToken);
                await AddPoliciesOfAsync(sources, IamEntityKind.User, accountId, user.UserName, cancellationToken);
                foreach (var group in await store.ListGroupsForUserAsync(accountId, user.UserName, cancellationToken))
                {
                    await AddPoliciesOfAsync(sources, IamEntityKind.Group, accountId, group.GroupName, cancellationToken);
                }

                break;
            case IamEntityKind.Role:
                var role = await store.FindRoleAsync(accountId, name, cancellationToken);
                if (role is null)
                {
                    return PrincipalPolicies.None;
                }

                arn = role.Arn;
                id = role.RoleId;
                boundaryArn = role.PermissionsBoundary;
                tags = await store.ListTagsAsync(accountId, IamEntityKind.Role, role.RoleName, cancellationToken);
                await AddPoliciesOfAsync(sources, IamEntityKind.Role, accountId, role.RoleName, cancellationToken);
                break;
            default:
                var found = await store.FindGroupAsync(accountId, name, cancellationToken);
                if (found is null)
                {
                    return PrincipalPolicies.None;
                }

                arn = found.Arn;
                id = null;
                tags = [];
                await AddPoliciesOfAsync(sources, IamEntityKind.Group, accountId, found.GroupName, cancellationToken);
                break;
        }

        var tagMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tag in tags)
        {
            tagMap[tag.Key] = tag.Value;
        }

        return new PrincipalPolicies(sources, sources.Select(s => s.Policy).ToList(), tagMap, arn, id)
        {
            Boundary = boundaryArn is null ? null : await BoundaryAsync(boundaryArn, cancellationToken),
        };
    }

    /// <summary>The boundary's default version; a boundary whose policy is gone allows nothing (an empty policy), never everything.</summary>
    private async Task<EffectivePolicy> BoundaryAsync(string arn, CancellationToken cancellationToken)
    {
        var (version, policyName) = await DefaultVersionAsync(arn, cancellationToken);
        var document = version is null ? NoStatements : Compile(version.Document);
        return new EffectivePolicy(new IdentityPolicy($"permissions boundary {arn}", document), policyName, "permissions-boundary");
    }

    /// <summary>A managed policy's default version (AWS managed or the account's) and its name; null when the policy is gone.</summary>
    private async Task<(PolicyVersionInfo? Version, string PolicyName)> DefaultVersionAsync(string arn, CancellationToken cancellationToken)
    {
        if (AwsManagedPolicies.IsAwsManagedArn(arn))
        {
            return (AwsManagedPolicies.FindVersion(arn), AwsManagedPolicies.Find(arn)?.PolicyName ?? arn);
        }

        var policy = await store.FindPolicyAsync(arn, cancellationToken);
        var version = policy is null ? null : await store.FindPolicyVersionAsync(arn, policy.DefaultVersionId, cancellationToken);
        return (version, policy?.PolicyName ?? arn);
    }

    // IAM's grammar wants a statement: one that allows an action no service has.
    private static readonly PolicyDocument NoStatements =
        PolicyDocument.Parse("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"none:none","Resource":"*"}}""", PolicyKind.Inline);

    private async Task AddPoliciesOfAsync(List<EffectivePolicy> into, IamEntityKind kind, string accountId, string name, CancellationToken cancellationToken)
    {
        var kindName = kind.ToString().ToLowerInvariant();
        foreach (var inline in await store.ListInlinePoliciesAsync(accountId, kind, name, cancellationToken))
        {
            into.Add(new EffectivePolicy(
                new IdentityPolicy($"inline policy {inline.PolicyName} of {kindName} {name}", Compile(inline.Document)), inline.PolicyName, kindName));
        }

        foreach (var arn in await store.ListAttachedPoliciesAsync(accountId, kind, name, cancellationToken))
        {
            var (version, policyName) = await DefaultVersionAsync(arn, cancellationToken);
            if (version is not null)
            {
                var type = AwsManagedPolicies.IsAwsManagedArn(arn) ? "aws-managed" : "user-managed";
                into.Add(new EffectivePolicy(new IdentityPolicy(arn, Compile(version.Document)), policyName, type));
            }
        }
    }
}
