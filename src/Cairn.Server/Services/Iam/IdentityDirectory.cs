using System.Collections.Concurrent;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Storage.Identity;

namespace Cairn.Server.Services.Iam;

/// <summary>
/// The policies in force for users, roles and groups, compiled and cached until the identity store changes
/// (its Generation moves on every write), so authorizing a request costs no parsing and no database round trip.
/// </summary>
internal sealed class IdentityDirectory(IIdentityStore store)
{
    private const int MaxCachedDocuments = 4096;
    private const int MaxCachedSessions = 100_000;

    private readonly ConcurrentDictionary<string, (long Generation, PrincipalPolicies Policies)> _byIdentity = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PolicyDocument> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoleSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (long Generation, AccessKeyInfo? Key, IamUser? User)> _keys = new(StringComparer.Ordinal);

    /// <summary>A role session by its access key id; sessions never change, so a found one is kept (until the cache is full).</summary>
    public RoleSession? FindSession(string accessKeyId)
    {
        if (_sessions.TryGetValue(accessKeyId, out var session))
        {
            return session;
        }

        session = store.FindSession(accessKeyId);
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
    public (AccessKeyInfo? Key, IamUser? User) FindAccessKey(string accessKeyId)
    {
        var generation = store.Generation;
        if (_keys.TryGetValue(accessKeyId, out var cached) && cached.Generation == generation)
        {
            return (cached.Key, cached.User);
        }

        var key = store.FindAccessKey(accessKeyId);
        var user = key is null ? null : store.FindUser(key.AccountId, key.UserName);
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
    public PrincipalPolicies ForPrincipal(Principal principal)
    {
        var policies = principal.Kind switch
        {
            PrincipalKind.User => ForEntity(IamEntityKind.User, principal.AccountId, principal.Name!),
            PrincipalKind.AssumedRole => ForEntity(IamEntityKind.Role, principal.AccountId, principal.Name!),
            _ => PrincipalPolicies.None,
        };
        // A user's access keys go when the user goes; a role's sessions outlive the role.
        return principal.Kind != PrincipalKind.AssumedRole
            || string.Equals(policies.EntityId, principal.UserId.Split(':')[0], StringComparison.Ordinal)
            ? policies
            : PrincipalPolicies.None;
    }

    public PrincipalPolicies ForEntity(IamEntityKind kind, string accountId, string name)
    {
        var key = $"{accountId}/{kind}/{name.ToUpperInvariant()}";
        var generation = store.Generation;
        if (_byIdentity.TryGetValue(key, out var cached) && cached.Generation == generation)
        {
            return cached.Policies;
        }

        var loaded = Load(kind, accountId, name);
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

    private PrincipalPolicies Load(IamEntityKind kind, string accountId, string name)
    {
        var sources = new List<EffectivePolicy>();
        string? arn;
        string? id;
        IReadOnlyList<IamTag> tags;
        switch (kind)
        {
            case IamEntityKind.User:
                var user = store.FindUser(accountId, name);
                if (user is null)
                {
                    return PrincipalPolicies.None;
                }

                arn = user.Arn;
                id = user.UserId;
                tags = store.ListTags(accountId, IamEntityKind.User, user.UserName);
                AddPoliciesOf(sources, IamEntityKind.User, accountId, user.UserName);
                foreach (var group in store.ListGroupsForUser(accountId, user.UserName))
                {
                    AddPoliciesOf(sources, IamEntityKind.Group, accountId, group.GroupName);
                }

                break;
            case IamEntityKind.Role:
                var role = store.FindRole(accountId, name);
                if (role is null)
                {
                    return PrincipalPolicies.None;
                }

                arn = role.Arn;
                id = role.RoleId;
                tags = store.ListTags(accountId, IamEntityKind.Role, role.RoleName);
                AddPoliciesOf(sources, IamEntityKind.Role, accountId, role.RoleName);
                break;
            default:
                var found = store.FindGroup(accountId, name);
                if (found is null)
                {
                    return PrincipalPolicies.None;
                }

                arn = found.Arn;
                id = null;
                tags = [];
                AddPoliciesOf(sources, IamEntityKind.Group, accountId, found.GroupName);
                break;
        }

        var tagMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tag in tags)
        {
            tagMap[tag.Key] = tag.Value;
        }

        return new PrincipalPolicies(sources, sources.Select(s => s.Policy).ToList(), tagMap, arn, id);
    }

    private void AddPoliciesOf(List<EffectivePolicy> into, IamEntityKind kind, string accountId, string name)
    {
        var kindName = kind.ToString().ToLowerInvariant();
        foreach (var inline in store.ListInlinePolicies(accountId, kind, name))
        {
            into.Add(new EffectivePolicy(
                new IdentityPolicy($"inline policy {inline.PolicyName} of {kindName} {name}", Compile(inline.Document)), inline.PolicyName, kindName));
        }

        foreach (var arn in store.ListAttachedPolicies(accountId, kind, name))
        {
            PolicyVersionInfo? version;
            string policyName;
            if (AwsManagedPolicies.IsAwsManagedArn(arn))
            {
                version = AwsManagedPolicies.FindVersion(arn);
                policyName = AwsManagedPolicies.Find(arn)?.PolicyName ?? arn;
            }
            else
            {
                var policy = store.FindPolicy(arn);
                version = policy is null ? null : store.FindPolicyVersion(arn, policy.DefaultVersionId);
                policyName = policy?.PolicyName ?? arn;
            }

            if (version is not null)
            {
                var type = AwsManagedPolicies.IsAwsManagedArn(arn) ? "aws-managed" : "user-managed";
                into.Add(new EffectivePolicy(new IdentityPolicy(arn, Compile(version.Document)), policyName, type));
            }
        }
    }
}
