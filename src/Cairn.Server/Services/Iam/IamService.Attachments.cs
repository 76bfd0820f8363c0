using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>Managed policy attachments and inline policies, the same for users, roles and groups.</summary>
internal sealed partial class IamService
{
    private static readonly (IamEntityKind Kind, string Word, string Member, int InlineLimit)[] Entities =
    [
        (IamEntityKind.User, "User", "UserName", 2048),
        (IamEntityKind.Role, "Role", "RoleName", 10240),
        (IamEntityKind.Group, "Group", "GroupName", 5120),
    ];

    private void RegisterAttachments()
    {
        foreach (var (kind, word, member, limit) in Entities)
        {
            On($"Attach{word}Policy", (a, c, t) => AttachAsync(kind, word, member, a, c, t));
            On($"Detach{word}Policy", (a, c, t) => DetachAsync(kind, word, member, a, c, t));
            On($"ListAttached{word}Policies", (a, c, t) => ListAttachedAsync(kind, word, member, a, c, t));
            On($"Put{word}Policy", (a, c, t) => PutInlineAsync(kind, word, member, limit, a, c, t));
            On($"Get{word}Policy", (a, c, t) => GetInlineAsync(kind, word, member, a, c, t));
            On($"Delete{word}Policy", (a, c, t) => DeleteInlineAsync(kind, word, member, a, c, t));
            On($"List{word}Policies", (a, c, t) => ListInlineAsync(kind, word, member, a, c, t));
        }

        On("ListEntitiesForPolicy", ListEntitiesForPolicyAsync);
    }

    private async Task<XElement?> AttachAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        var policyArn = PolicyArnArg(args);
        await AuthorizeAsync(context, $"Attach{word}Policy", await EntityArnAsync(context, kind, name, cancellationToken), cancellationToken);
        if (kind == IamEntityKind.Role && await _store.FindRoleAsync(context.AccountId, name, cancellationToken) is null)
        {
            var roles = await _store.ListRolesAsync(context.AccountId, cancellationToken);
            throw AwsErrors.NoSuchRoleToAttachTo(name, RoleNames.Closest(name, roles.Select(r => r.RoleName)));
        }

        await _store.AttachPolicyAsync(context.AccountId, kind, name, policyArn, MaxAttachedPolicies, cancellationToken);
        return null;
    }

    private async Task<XElement?> DetachAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        var policyArn = PolicyArnArg(args);
        await AuthorizeAsync(context, $"Detach{word}Policy", await EntityArnAsync(context, kind, name, cancellationToken), cancellationToken);
        await _store.DetachPolicyAsync(context.AccountId, kind, name, policyArn, cancellationToken);
        return null;
    }

    private async Task<XElement?> ListAttachedAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        await AuthorizeAsync(context, $"ListAttached{word}Policies", await EntityArnAsync(context, kind, name, cancellationToken), cancellationToken);
        await RequireEntityAsync(context, kind, name, cancellationToken);
        var prefix = args.Get("PathPrefix") ?? "/";
        var attached = new List<ManagedPolicyInfo>();
        foreach (var arn in await _store.ListAttachedPoliciesAsync(context.AccountId, kind, name, cancellationToken))
        {
            if (await FindPolicyAsync(arn, cancellationToken) is { } policy && policy.Path.StartsWith(prefix, StringComparison.Ordinal))
            {
                attached.Add(policy);
            }
        }

        var (page, paging) = Page(attached, args);
        return Result($"ListAttached{word}Policies",
            Members("AttachedPolicies", page.Select(p => new object?[] { E("PolicyName", p.PolicyName), E("PolicyArn", p.Arn) })), paging);
    }

    private async Task<XElement?> ListEntitiesForPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        await AuthorizeAsync(context, "ListEntitiesForPolicy", arn, cancellationToken);
        _ = await FindPolicyAsync(arn, cancellationToken) ?? throw AwsErrors.NoSuchPolicy(arn);
        var filter = args.Get("EntityFilter");
        var entities = new List<(IamEntityKind Kind, string EntityName, string? Id)>();
        foreach (var (kind, entityName) in await _store.ListEntitiesForPolicyAsync(context.AccountId, arn, cancellationToken))
        {
            if (filter is null or "LocalManagedPolicy" or "AWSManagedPolicy" || string.Equals(filter, kind.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                entities.Add((kind, entityName, await EntityIdAsync(context, kind, entityName, cancellationToken)));
            }
        }

        object?[] Named(IamEntityKind kind, string nameElement, string idElement) => entities
            .Where(e => e.Kind == kind)
            .Select(e => (object?)new object?[] { E(nameElement, e.EntityName), E(idElement, e.Id) })
            .ToArray();
        return Result("ListEntitiesForPolicy",
            Members("PolicyGroups", Named(IamEntityKind.Group, "GroupName", "GroupId")),
            Members("PolicyUsers", Named(IamEntityKind.User, "UserName", "UserId")),
            Members("PolicyRoles", Named(IamEntityKind.Role, "RoleName", "RoleId")),
            Paging(false, null));
    }

    private async Task<XElement?> PutInlineAsync(
        IamEntityKind kind, string word, string member, int limit, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        var policyName = IamValidation.Name(args.Required("PolicyName"), "policyName", 128);
        var document = args.Required("PolicyDocument");
        await AuthorizeAsync(context, $"Put{word}Policy", await EntityArnAsync(context, kind, name, cancellationToken), cancellationToken);
        ParsePolicy(document, PolicyKind.Inline);
        await _store.PutInlinePolicyAsync(context.AccountId, new InlinePolicy(kind, name, policyName, document), limit, cancellationToken);
        return null;
    }

    private async Task<XElement?> GetInlineAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        var policyName = args.Required("PolicyName");
        await AuthorizeAsync(context, $"Get{word}Policy", await EntityArnAsync(context, kind, name, cancellationToken), cancellationToken);
        var canonicalName = await CanonicalEntityNameAsync(context, kind, name, cancellationToken);
        var policy = await _store.FindInlinePolicyAsync(context.AccountId, kind, name, policyName, cancellationToken)
            ?? throw AwsErrors.NoSuchInlinePolicy(word.ToLowerInvariant(), policyName);
        return Result($"Get{word}Policy", E(member, canonicalName), E("PolicyName", policy.PolicyName), E("PolicyDocument", Encoded(policy.Document)));
    }

    private async Task<XElement?> DeleteInlineAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        var policyName = args.Required("PolicyName");
        await AuthorizeAsync(context, $"Delete{word}Policy", await EntityArnAsync(context, kind, name, cancellationToken), cancellationToken);
        await _store.DeleteInlinePolicyAsync(context.AccountId, kind, name, policyName, cancellationToken);
        return null;
    }

    private async Task<XElement?> ListInlineAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        await AuthorizeAsync(context, $"List{word}Policies", await EntityArnAsync(context, kind, name, cancellationToken), cancellationToken);
        await RequireEntityAsync(context, kind, name, cancellationToken);
        var inline = await _store.ListInlinePoliciesAsync(context.AccountId, kind, name, cancellationToken);
        var (page, paging) = Page(inline.Select(p => p.PolicyName).ToList(), args);
        return Result($"List{word}Policies", Members("PolicyNames", page), paging);
    }

    /// <summary>The entity's ARN (with its path when it exists) for authorization.</summary>
    private async Task<string> EntityArnAsync(RequestContext context, IamEntityKind kind, string name, CancellationToken cancellationToken) => kind switch
    {
        IamEntityKind.User => UserArn(context, name, await _store.FindUserAsync(context.AccountId, name, cancellationToken)),
        IamEntityKind.Role => RoleArn(context, name, await _store.FindRoleAsync(context.AccountId, name, cancellationToken)),
        _ => GroupArn(context, name, await _store.FindGroupAsync(context.AccountId, name, cancellationToken)),
    };

    private async Task RequireEntityAsync(RequestContext context, IamEntityKind kind, string name, CancellationToken cancellationToken) =>
        _ = await CanonicalEntityNameAsync(context, kind, name, cancellationToken);

    private async Task<string> CanonicalEntityNameAsync(RequestContext context, IamEntityKind kind, string name, CancellationToken cancellationToken) => kind switch
    {
        IamEntityKind.User => (await _store.FindUserAsync(context.AccountId, name, cancellationToken))?.UserName ?? throw AwsErrors.NoSuchUser(name),
        IamEntityKind.Role => (await _store.FindRoleAsync(context.AccountId, name, cancellationToken))?.RoleName ?? throw AwsErrors.NoSuchRole(name),
        _ => (await _store.FindGroupAsync(context.AccountId, name, cancellationToken))?.GroupName ?? throw AwsErrors.NoSuchGroup(name),
    };

    private async Task<string?> EntityIdAsync(RequestContext context, IamEntityKind kind, string name, CancellationToken cancellationToken) => kind switch
    {
        IamEntityKind.User => (await _store.FindUserAsync(context.AccountId, name, cancellationToken))?.UserId,
        IamEntityKind.Role => (await _store.FindRoleAsync(context.AccountId, name, cancellationToken))?.RoleId,
        _ => (await _store.FindGroupAsync(context.AccountId, name, cancellationToken))?.GroupId,
    };
}
