using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>Roles: trust policies, settings and tags.</summary>
internal sealed partial class IamService
{
    private void RegisterRoles()
    {
        On("CreateRole", CreateRoleAsync);
        On("GetRole", GetRoleAsync);
        On("ListRoles", ListRolesAsync);
        On("DeleteRole", DeleteRoleAsync);
        On("UpdateAssumeRolePolicy", UpdateAssumeRolePolicyAsync);
        On("UpdateRole", UpdateRoleAsync);
        On("UpdateRoleDescription", UpdateRoleDescriptionAsync);
        On("TagRole", TagRoleAsync);
        On("UntagRole", UntagRoleAsync);
        On("ListRoleTags", ListRoleTagsAsync);
    }

    private async Task<XElement?> CreateRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = IamValidation.Name(args.Required("RoleName"), "roleName", 64);
        var path = IamValidation.Path(args.Get("Path"));
        var trust = args.Required("AssumeRolePolicyDocument");
        var description = args.Get("Description");
        IamValidation.Length(description, "description", 0, 1000);
        var maxSession = args.Int("MaxSessionDuration");
        IamValidation.Range(maxSession, "maxSessionDuration", 3600, 43200);
        var tags = IamValidation.Tags(args.Tags());
        var arn = Arn(context.AccountId, "role", path, name);
        await AuthorizeAsync(context, "CreateRole", arn, cancellationToken);
        CheckTrustPolicy(trust);

        var role = new IamRole(context.AccountId, name, IdentityIds.RoleId(), path, arn, Now, trust, description, maxSession ?? 3600);
        await _store.CreateRoleAsync(role, tags, cancellationToken);
        return Result("CreateRole", new XElement("Role", Role(role, tags)));
    }

    private async Task<XElement?> GetRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("RoleName");
        var role = await _store.FindRoleAsync(context.AccountId, name, cancellationToken);
        await AuthorizeAsync(context, "GetRole", RoleArn(context, name, role), cancellationToken);
        if (role is null)
        {
            throw AwsErrors.NoSuchRole(name);
        }
        return Result("GetRole", new XElement("Role", Role(role, await _store.ListTagsAsync(context.AccountId, IamEntityKind.Role, role.RoleName, cancellationToken), lastUsed: true)));
    }

    private async Task<XElement?> ListRolesAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, "ListRoles", Arn(context.AccountId, "role", "/", string.Empty), cancellationToken);
        var (roles, paging) = Page(WithPathPrefix(await _store.ListRolesAsync(context.AccountId, cancellationToken), args, r => r.Path).ToList(), args);
        return Result("ListRoles", Members("Roles", roles.Select(r => Role(r))), paging);
    }

    private async Task<XElement?> DeleteRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("RoleName");
        await AuthorizeAsync(context, "DeleteRole", RoleArn(context, name, await _store.FindRoleAsync(context.AccountId, name, cancellationToken)), cancellationToken);
        await _store.DeleteRoleAsync(context.AccountId, name, cancellationToken);
        return null;
    }

    private async Task<XElement?> UpdateAssumeRolePolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("RoleName");
        var document = args.Required("PolicyDocument");
        await AuthorizeAsync(context, "UpdateAssumeRolePolicy", RoleArn(context, name, await _store.FindRoleAsync(context.AccountId, name, cancellationToken)), cancellationToken);
        CheckTrustPolicy(document);
        await _store.UpdateTrustPolicyAsync(context.AccountId, name, document, cancellationToken);
        return null;
    }

    private async Task<XElement?> UpdateRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("RoleName");
        var description = args.Get("Description");
        IamValidation.Length(description, "description", 0, 1000);
        var maxSession = args.Int("MaxSessionDuration");
        IamValidation.Range(maxSession, "maxSessionDuration", 3600, 43200);
        await AuthorizeAsync(context, "UpdateRole", RoleArn(context, name, await _store.FindRoleAsync(context.AccountId, name, cancellationToken)), cancellationToken);
        await _store.UpdateRoleAsync(context.AccountId, name, description, maxSession, cancellationToken);
        return Result("UpdateRole");
    }

    private async Task<XElement?> UpdateRoleDescriptionAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("RoleName");
        var description = args.Required("Description");
        IamValidation.Length(description, "description", 0, 1000);
        await AuthorizeAsync(context, "UpdateRoleDescription", RoleArn(context, name, await _store.FindRoleAsync(context.AccountId, name, cancellationToken)), cancellationToken);
        await _store.UpdateRoleAsync(context.AccountId, name, description, null, cancellationToken);
        var role = (await _store.FindRoleAsync(context.AccountId, name, cancellationToken))!;
        return Result("UpdateRoleDescription", new XElement("Role", Role(role, await _store.ListTagsAsync(context.AccountId, IamEntityKind.Role, role.RoleName, cancellationToken))));
    }

    private async Task<XElement?> TagRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("RoleName");
        var tags = IamValidation.Tags(args.Tags());
        await AuthorizeAsync(context, "TagRole", RoleArn(context, name, await _store.FindRoleAsync(context.AccountId, name, cancellationToken)), cancellationToken);
        await _store.TagAsync(context.AccountId, IamEntityKind.Role, name, tags, MaxTags, cancellationToken);
        return null;
    }

    private async Task<XElement?> UntagRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("RoleName");
        await AuthorizeAsync(context, "UntagRole", RoleArn(context, name, await _store.FindRoleAsync(context.AccountId, name, cancellationToken)), cancellationToken);
        await _store.UntagAsync(context.AccountId, IamEntityKind.Role, name, args.List("TagKeys"), cancellationToken);
        return null;
    }

    private async Task<XElement?> ListRoleTagsAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("RoleName");
        var role = await _store.FindRoleAsync(context.AccountId, name, cancellationToken);
        await AuthorizeAsync(context, "ListRoleTags", RoleArn(context, name, role), cancellationToken);
        if (role is null)
        {
            throw AwsErrors.NoSuchRole(name);
        }
        var (tags, paging) = Page(await _store.ListTagsAsync(context.AccountId, IamEntityKind.Role, role.RoleName, cancellationToken), args);
        return Result("ListRoleTags", Tags(tags), paging);
    }

    private static void CheckTrustPolicy(string document)
    {
        ParsePolicy(document, PolicyKind.Trust);
        if (PolicySize.Of(document) > MaxTrustPolicySize)
        {
            throw AwsErrors.Quota("ACLSizePerRole", MaxTrustPolicySize);
        }
    }
}
