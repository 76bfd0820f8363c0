using Cairn.Application.Identity;
using System.Xml.Linq;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>Managed policy attachments and inline policies, the same for users, roles and groups; adapters over <see cref="PolicyAttachmentService"/>.</summary>
internal sealed partial class IamService
{
    private static readonly (IamEntityKind Kind, string Member)[] Entities =
    [
        (IamEntityKind.User, "UserName"),
        (IamEntityKind.Role, "RoleName"),
        (IamEntityKind.Group, "GroupName"),
    ];

    private void RegisterAttachments()
    {
        foreach (var (kind, member) in Entities)
        {
            var word = PolicyAttachmentService.Word(kind);
            On($"Attach{word}Policy", (a, c, t) => AttachAsync(kind, word, member, a, c, t));
            On($"Detach{word}Policy", (a, c, t) => DetachAsync(kind, word, member, a, c, t));
            On($"ListAttached{word}Policies", (a, c, t) => ListAttachedAsync(kind, word, member, a, c, t));
            On($"Put{word}Policy", (a, c, t) => PutInlineAsync(kind, member, a, c, t));
            On($"Get{word}Policy", (a, c, t) => GetInlineAsync(kind, word, member, a, c, t));
            On($"Delete{word}Policy", (a, c, t) => DeleteInlineAsync(kind, member, a, c, t));
            On($"List{word}Policies", (a, c, t) => ListInlineAsync(kind, word, member, a, c, t));
        }

        On("ListEntitiesForPolicy", ListEntitiesForPolicyAsync);
    }

    private async Task<XElement?> AttachAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        await _attachments.AttachPolicyAsync(context, kind, name, PolicyArnArg(args), cancellationToken);
        return null;
    }

    private async Task<XElement?> DetachAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        await _attachments.DetachPolicyAsync(context, kind, name, PolicyArnArg(args), cancellationToken);
        return null;
    }

    private async Task<XElement?> ListAttachedAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var attached = await _attachments.ListAttachedPoliciesAsync(context, kind, args.Required(member), args.Get("PathPrefix"), cancellationToken);
        var (page, paging) = Page(attached, args);
        return Result($"ListAttached{word}Policies",
            Members("AttachedPolicies", page.Select(p => new object?[] { E("PolicyName", p.PolicyName), E("PolicyArn", p.Arn) })), paging);
    }

    private async Task<XElement?> ListEntitiesForPolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var entities = await _attachments.ListEntitiesForPolicyAsync(context, PolicyArnArg(args), args.Get("EntityFilter"), cancellationToken);

        object?[] Named(IamEntityKind kind, string nameElement, string idElement) => entities
            .Where(e => e.Kind == kind)
            .Select(e => (object?)new object?[] { E(nameElement, e.Name), E(idElement, e.Id) })
            .ToArray();
        return Result("ListEntitiesForPolicy",
            Members("PolicyGroups", Named(IamEntityKind.Group, "GroupName", "GroupId")),
            Members("PolicyUsers", Named(IamEntityKind.User, "UserName", "UserId")),
            Members("PolicyRoles", Named(IamEntityKind.Role, "RoleName", "RoleId")),
            Paging(false, null));
    }

    private async Task<XElement?> PutInlineAsync(IamEntityKind kind, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required(member);
        var policyName = IamValidation.Name(args.Required("PolicyName"), "policyName", 128);
        var document = args.Required("PolicyDocument");
        IamValidation.Length(document, "policyDocument", 1, 131072);
        await _attachments.PutInlinePolicyAsync(context, kind, name, policyName, document, cancellationToken);
        return null;
    }

    private async Task<XElement?> GetInlineAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (entityName, policy) = await _attachments.GetInlinePolicyAsync(context, kind, args.Required(member), args.Required("PolicyName"), cancellationToken);
        return Result($"Get{word}Policy", E(member, entityName), E("PolicyName", policy.PolicyName), E("PolicyDocument", Encoded(policy.Document)));
    }

    private async Task<XElement?> DeleteInlineAsync(IamEntityKind kind, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _attachments.DeleteInlinePolicyAsync(context, kind, args.Required(member), args.Required("PolicyName"), cancellationToken);
        return null;
    }

    private async Task<XElement?> ListInlineAsync(IamEntityKind kind, string word, string member, QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var names = await _attachments.ListInlinePolicyNamesAsync(context, kind, args.Required(member), cancellationToken);
        var (page, paging) = Page(names, args);
        return Result($"List{word}Policies", Members("PolicyNames", page), paging);
    }
}
