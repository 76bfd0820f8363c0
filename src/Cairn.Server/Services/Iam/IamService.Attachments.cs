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
        await AuthorizeAsync(context, $"Attach{word}Policy", EntityArn(context, kind, name), cancellationToken);
        if (kind == IamEntityKind.Role && _store.FindRole(context.AccountId, name) is null)
        {
            throw AwsErrors.NoSuchRoleToAttachTo(name, RoleNames.Closest(name, _store.ListRoles(context.AccountId).Select(r => r.RoleName)));
        }

        await _store.AttachPolicyAsync(context.AccountId, kind, name, policyArn, MaxAttachedPolicies, cancellationToken);
        return null;
    }

    private async Task<XElement?> DetachAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        var policyArn = PolicyArnArg(args);
        await AuthorizeAsync(context, $"Detach{word}Policy", EntityArn(context, kind, name), cancellationToken);
        await _store.DetachPolicyAsync(context.AccountId, kind, name, policyArn, cancellationToken);
        return null;
    }

    private async Task<XElement?> ListAttachedAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        await AuthorizeAsync(context, $"ListAttached{word}Policies", EntityArn(context, kind, name), cancellationToken);
        RequireEntity(context, kind, name);
        var prefix = args.Get("PathPrefix") ?? "/";
        var attached = _store.ListAttachedPolicies(context.AccountId, kind, name)
            .Select(arn => FindPolicy(arn))
            .Where(p => p is not null && p.Path.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        var (page, paging) = Page(attached, args);
        return Result($"ListAttached{word}Policies",
            Members("AttachedPolicies", page.Select(p => new object?[] { E("PolicyName", p!.PolicyName), E("PolicyArn", p.Arn) })), paging);
    }

    private async Task<XElement?> ListEntitiesForPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var arn = PolicyArnArg(args);
        await AuthorizeAsync(context, "ListEntitiesForPolicy", arn, cancellationToken);
        _ = FindPolicy(arn) ?? throw AwsErrors.NoSuchPolicy(arn);
        var filter = args.Get("EntityFilter");
        var entities = _store.ListEntitiesForPolicy(context.AccountId, arn)
            .Where(e => filter is null or "LocalManagedPolicy" or "AWSManagedPolicy" || string.Equals(filter, e.Kind.ToString(), StringComparison.OrdinalIgnoreCase))
            .ToList();
        object?[] Named(IamEntityKind kind, string nameElement, string idElement) => entities
            .Where(e => e.Kind == kind)
            .Select(e => (object?)new object?[] { E(nameElement, e.EntityName), E(idElement, EntityId(context, kind, e.EntityName)) })
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
        await AuthorizeAsync(context, $"Put{word}Policy", EntityArn(context, kind, name), cancellationToken);
        ParsePolicy(document, PolicyKind.Inline);
        await _store.PutInlinePolicyAsync(context.AccountId, new InlinePolicy(kind, name, policyName, document), limit, cancellationToken);
        return null;
    }

    private async Task<XElement?> GetInlineAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        var policyName = args.Required("PolicyName");
        await AuthorizeAsync(context, $"Get{word}Policy", EntityArn(context, kind, name), cancellationToken);
        RequireEntity(context, kind, name);
        var policy = _store.FindInlinePolicy(context.AccountId, kind, name, policyName)
            ?? throw AwsErrors.NoSuchInlinePolicy(word.ToLowerInvariant(), policyName);
        return Result($"Get{word}Policy", E(member, CanonicalEntityName(context, kind, name)), E("PolicyName", policy.PolicyName), E("PolicyDocument", Encoded(policy.Document)));
    }

    private async Task<XElement?> DeleteInlineAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        var policyName = args.Required("PolicyName");
        await AuthorizeAsync(context, $"Delete{word}Policy", EntityArn(context, kind, name), cancellationToken);
        await _store.DeleteInlinePolicyAsync(context.AccountId, kind, name, policyName, cancellationToken);
        return null;
    }

    private async Task<XElement?> ListInlineAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        await AuthorizeAsync(context, $"List{word}Policies", EntityArn(context, kind, name), cancellationToken);
        RequireEntity(context, kind, name);
        var (page, paging) = Page(_store.ListInlinePolicies(context.AccountId, kind, name).Select(p => p.PolicyName).ToList(), args);
        return Result($"List{word}Policies", Members("PolicyNames", page), paging);
    }

    /// <summary>The entity's ARN (with its path when it exists) for authorization.</summary>
    private string EntityArn(RequestContext context, IamEntityKind kind, string name) => kind switch
    {
        IamEntityKind.User => UserArn(context, name, _store.FindUser(context.AccountId, name)),
        IamEntityKind.Role => RoleArn(context, name, _store.FindRole(context.AccountId, name)),
        _ => GroupArn(context, name, _store.FindGroup(context.AccountId, name)),
    };

    private void RequireEntity(RequestContext context, IamEntityKind kind, string name) => _ = CanonicalEntityName(context, kind, name);

    private string CanonicalEntityName(RequestContext context, IamEntityKind kind, string name) => kind switch
    {
        IamEntityKind.User => _store.FindUser(context.AccountId, name)?.UserName ?? throw AwsErrors.NoSuchUser(name),
        IamEntityKind.Role => _store.FindRole(context.AccountId, name)?.RoleName ?? throw AwsErrors.NoSuchRole(name),
        _ => _store.FindGroup(context.AccountId, name)?.GroupName ?? throw AwsErrors.NoSuchGroup(name),
    };

    private string? EntityId(RequestContext context, IamEntityKind kind, string name) => kind switch
    {
        IamEntityKind.User => _store.FindUser(context.AccountId, name)?.UserId,
        IamEntityKind.Role => _store.FindRole(context.AccountId, name)?.RoleId,
        _ => _store.FindGroup(context.AccountId, name)?.GroupId,
    };
}
