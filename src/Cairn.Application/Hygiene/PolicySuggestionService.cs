using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Application.Identity;
using Cairn.Application.Identity.Authorization;
using Cairn.Core.Audit;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Core.Keys;
using Cairn.Storage.Identity;
using Cairn.Storage.Keys;

namespace Cairn.Application.Hygiene;

/// <summary>
/// `cairn iam suggest-policy`: from the audit trail, the calls a role (any of its sessions) or a user was allowed in a
/// window, made into a least-privilege policy; beside it the policies it has now and what each allowed; the commands
/// that swap them; and a dry-run of every audited call under the suggestion with <see cref="PolicySimulator"/>.
/// Authorized as the caller: iam:GetRole, iam:ListAttachedRolePolicies and iam:ListRolePolicies on the role (the
/// user's equivalents and iam:ListGroupsForUser for a user), and cloudtrail:LookupEvents (the audit read).
/// </summary>
public sealed class PolicySuggestionService(
    IIdentityStore identities,
    IdentityDirectory directory,
    IAuditLog audit,
    IKeyStore keys,
    IAuthorizer authorizer,
    TimeProvider time)
{
    private const int MaxAuditEntries = 1_000_000;
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    public async Task<PolicySuggestion> SuggestAsync(RequestContext context, PolicySuggestionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.RoleName) == string.IsNullOrEmpty(request.UserName))
        {
            throw AwsErrors.PolicySuggestionPrincipal();
        }

        var now = time.GetUtcNow();
        var since = request.Since is null ? now - DefaultWindow : AuditTimes.Parse(request.Since, now) ?? throw AwsErrors.PolicySuggestionWindow(request.Since);
        if (since > now)
        {
            throw AwsErrors.PolicySuggestionWindow(request.Since!);
        }

        var isRole = !string.IsNullOrEmpty(request.RoleName);
        var kind = isRole ? IamEntityKind.Role : IamEntityKind.User;
        var name = isRole ? request.RoleName! : request.UserName!;
        var kindName = isRole ? "role" : "user";
        var principalArn = await AuthorizeAsync(context, isRole, name, cancellationToken);
        await authorizer.AuthorizeAsync(context, Audit.AuditService.LookupAction, "*", cancellationToken);

        var policies = await directory.ForEntityAsync(kind, context.AccountId, name, cancellationToken);
        var (entries, used) = await UsedAsync(context, principalArn, isRole ? $"arn:aws:sts::{context.AccountId}:assumed-role/{name}/" : null, since, now, cancellationToken);
        var policyName = $"{name}-least-privilege";
        var document = used.Count == 0 ? null : Document(used);

        var current = await CurrentAsync(context, kind, name, policies.Sources, used, cancellationToken);
        var checks = new List<SuggestionCheck>();
        if (document is not null)
        {
            var suggested = PolicySimulator.InputPolicy(document, policyName);
            foreach (var call in used)
            {
                var result = PolicySimulator.SimulatePolicies([suggested], [call.Action], [call.Resource], ConditionContext.Empty)[0];
                checks.Add(new SuggestionCheck(call.Action, call.Resource, PolicySimulator.DecisionName(result.Decision)));
            }
        }

        var commands = document is null ? [] : Commands(context.AccountId, kindName, name, policyName, document, current);
        return new PolicySuggestion(principalArn, kindName, name, since, now, entries, used, policyName, document is null ? null : Indented(document), current, commands, checks);
    }

    private async Task<string> AuthorizeAsync(RequestContext context, bool isRole, string name, CancellationToken cancellationToken)
    {
        if (isRole)
        {
            var role = await identities.FindRoleAsync(context.AccountId, name, cancellationToken);
            var arn = role?.Arn ?? IamArns.Of(context.AccountId, "role", "/", name);
            foreach (var action in (string[])["iam:GetRole", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies"])
            {
                await authorizer.AuthorizeAsync(context, action, arn, cancellationToken);
            }

            return role?.Arn ?? throw AwsErrors.NoSuchRole(name);
        }

        var user = await identities.FindUserAsync(context.AccountId, name, cancellationToken);
        var userArn = IamArns.User(context, name, user);
        foreach (var action in (string[])["iam:GetUser", "iam:ListAttachedUserPolicies", "iam:ListUserPolicies", "iam:ListGroupsForUser"])
        {
            await authorizer.AuthorizeAsync(context, action, userArn, cancellationToken);
        }

        return user?.Arn ?? throw AwsErrors.NoSuchUser(name);
    }

    /// <summary>
    /// The allowed calls of the principal (a user's ARN, or any session of the role) in the window, one row per action
    /// and resource. kms:Decrypt and the like on AWS managed keys are left out: their key policy allows the account's
    /// principals through the service, so an identity policy needs no statement for them.
    /// </summary>
    private async Task<(int Entries, List<UsedCall> Used)> UsedAsync(
        RequestContext context, string principalArn, string? sessionPrefix, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await audit.FlushAsync(cancellationToken);
        // A user's ARN, or the beginning of its role's session ARNs: read from the audit log's principal index, not a scan.
        var found = await audit.QueryAsync(
            // The window ends at `until` inclusive: the trail keeps milliseconds and AuditQuery.Until is exclusive, so a
            // call made in the same millisecond as the request (a script, a fast test) would otherwise be left out.
            new AuditQuery(PrincipalContains: sessionPrefix ?? principalArn, Decision: "Allow", Since: since, Until: until.AddMilliseconds(1), Limit: MaxAuditEntries, AccountId: context.AccountId), cancellationToken);
        var calls = new Dictionary<(string Action, string Resource), (int Count, DateTimeOffset Last)>();
        var awsManagedKeys = new Dictionary<string, bool>(StringComparer.Ordinal);
        var entries = 0;
        foreach (var entry in found)
        {
            var ours = string.Equals(entry.PrincipalArn, principalArn, StringComparison.Ordinal)
                || (sessionPrefix is not null && entry.PrincipalArn.StartsWith(sessionPrefix, StringComparison.Ordinal));
            if (!ours)
            {
                continue;
            }

            entries++;
            var resource = string.IsNullOrEmpty(entry.Resource) ? "*" : entry.Resource;
            if (entry.Action.StartsWith("kms:", StringComparison.OrdinalIgnoreCase) && await IsAwsManagedKeyAsync(resource, awsManagedKeys, cancellationToken))
            {
                continue;
            }

            var key = (entry.Action, resource);
            calls[key] = calls.TryGetValue(key, out var seen)
                ? (seen.Count + 1, entry.Time > seen.Last ? entry.Time : seen.Last)
                : (1, entry.Time);
        }

        var used = calls
            .Select(c => new UsedCall(c.Key.Action, c.Key.Resource, c.Value.Count, c.Value.Last))
            .OrderBy(c => c.Action, StringComparer.Ordinal)
            .ThenBy(c => c.Resource, StringComparer.Ordinal)
            .ToList();
        return (entries, used);
    }

    private async Task<bool> IsAwsManagedKeyAsync(string resource, Dictionary<string, bool> known, CancellationToken cancellationToken)
    {
        if (known.TryGetValue(resource, out var managed))
        {
            return managed;
        }

        // arn:aws:kms:REGION:ACCOUNT:key/ID
        var parts = resource.Split(':', 6);
        managed = false;
        if (parts.Length == 6 && parts[5].StartsWith("key/", StringComparison.Ordinal))
        {
            var key = await keys.FindKeyAsync(new KeyScope(parts[4], parts[3]), parts[5]["key/".Length..], cancellationToken);
            managed = key?.IsAwsManaged == true;
        }

        known[resource] = managed;
        return managed;
    }

    /// <summary>The policies in force, with what each grants and which of the used calls it allowed.</summary>
    private async Task<List<CurrentPolicy>> CurrentAsync(
        RequestContext context, IamEntityKind kind, string name, IReadOnlyList<EffectivePolicy> sources, List<UsedCall> used, CancellationToken cancellationToken)
    {
        var attached = new List<string>(await identities.ListAttachedPoliciesAsync(context.AccountId, kind, name, cancellationToken));
        if (kind == IamEntityKind.User)
        {
            foreach (var group in await identities.ListGroupsForUserAsync(context.AccountId, name, cancellationToken))
            {
                attached.AddRange(await identities.ListAttachedPoliciesAsync(context.AccountId, IamEntityKind.Group, group.GroupName, cancellationToken));
            }
        }

        var allowedBy = new Dictionary<(string, string), List<UsedCall>>();
        foreach (var call in used)
        {
            var result = PolicySimulator.SimulatePolicies(sources, [call.Action], [call.Resource], ConditionContext.Empty)[0];
            foreach (var statement in result.MatchedStatements.Where(_ => result.Decision == PolicyDecision.Allow))
            {
                var key = (statement.PolicyId, statement.SourceType);
                if (!allowedBy.TryGetValue(key, out var list))
                {
                    allowedBy[key] = list = [];
                }

                if (!list.Contains(call))
                {
                    list.Add(call);
                }
            }
        }

        return [.. sources.Select(source =>
        {
            var managed = source.SourceType is "aws-managed" or "user-managed";
            var arn = managed ? attached.FirstOrDefault(a => a[(a.LastIndexOf('/') + 1)..] == source.Name) : null;
            var allows = source.Policy.Document.Statements.Where(s => s.Effect == PolicyEffect.Allow).ToList();
            return new CurrentPolicy(
                source.Name,
                source.SourceType,
                arn,
                [.. allows.SelectMany(s => s.IsNotAction ? s.Actions.Select(a => "NotAction " + a) : s.Actions).Distinct(StringComparer.OrdinalIgnoreCase)],
                [.. allows.SelectMany(s => s.IsNotResource ? s.Resources.Select(r => "NotResource " + r) : s.Resources).Distinct(StringComparer.Ordinal)],
                allowedBy.GetValueOrDefault((source.Name, source.SourceType)) ?? []);
        })];
    }

    /// <summary>
    /// One statement per set of resources: each action's resources, parameters by exact ARN or, when several share a
    /// folder below the root, that folder with a wildcard.
    /// </summary>
    internal static string Document(IReadOnlyList<UsedCall> used)
    {
        var byAction = used
            .GroupBy(c => c.Action, StringComparer.OrdinalIgnoreCase)
            .Select(g => (Action: g.Key, Resources: Narrow(g.Select(c => c.Resource).Distinct(StringComparer.Ordinal).ToList())))
            .ToList();
        var statements = new JsonArray();
        foreach (var group in byAction.GroupBy(a => string.Join('\n', a.Resources), StringComparer.Ordinal).OrderBy(g => g.First().Action, StringComparer.Ordinal))
        {
            var actions = group.Select(a => a.Action).Order(StringComparer.Ordinal).ToList();
            var resources = group.First().Resources;
            statements.Add(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Action"] = actions.Count == 1 ? actions[0] : new JsonArray([.. actions.Select(a => (JsonNode)JsonValue.Create(a))]),
                ["Resource"] = resources.Count == 1 ? resources[0] : new JsonArray([.. resources.Select(r => (JsonNode)JsonValue.Create(r))]),
            });
        }

        return new JsonObject { ["Version"] = PolicyDocument.CurrentVersion, ["Statement"] = statements }.ToJsonString(Compact);
    }

    /// <summary>Exact ARNs, except parameters sharing a folder below the root: <c>…:parameter/folder/*</c>. <c>*</c> covers all.</summary>
    internal static List<string> Narrow(IReadOnlyList<string> resources)
    {
        if (resources.Contains("*"))
        {
            return ["*"];
        }

        var result = new List<string>();
        foreach (var folder in resources.GroupBy(ParameterFolder, StringComparer.Ordinal))
        {
            var members = folder.ToList();
            result.AddRange(folder.Key.Length > 0 && members.Count > 1 ? [folder.Key + "*"] : members);
        }

        return [.. result.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>arn:aws:ssm:R:A:parameter/a/b/name to arn:aws:ssm:R:A:parameter/a/b/; empty for a root name or anything else.</summary>
    private static string ParameterFolder(string arn)
    {
        var parts = arn.Split(':', 6);
        if (parts.Length != 6 || parts[2] != "ssm" || !parts[5].StartsWith("parameter/", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        var path = parts[5]["parameter/".Length..];
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? string.Empty : arn[..(arn.Length - path.Length + slash + 1)];
    }

    private static List<string> Commands(string accountId, string kindName, string name, string policyName, string document, IReadOnlyList<CurrentPolicy> current)
    {
        var newArn = $"arn:aws:iam::{accountId}:policy/{policyName}";
        var commands = new List<string>
        {
            $"aws iam create-policy --policy-name {policyName} --policy-document '{document}'",
            $"aws iam attach-{kindName}-policy --{kindName}-name {name} --policy-arn {newArn}",
        };
        foreach (var policy in current.Where(p => p.SourceType is "aws-managed" or "user-managed" && p.Arn is not null && p.Arn != newArn))
        {
            commands.Add($"aws iam detach-{kindName}-policy --{kindName}-name {name} --policy-arn {policy.Arn}");
        }

        foreach (var policy in current.Where(p => p.SourceType == kindName))
        {
            commands.Add($"aws iam delete-{kindName}-policy --{kindName}-name {name} --policy-name {policy.Name}");
        }

        return commands;
    }

    private static string Indented(string document) => JsonNode.Parse(document)!.ToJsonString(IndentedJson);

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
