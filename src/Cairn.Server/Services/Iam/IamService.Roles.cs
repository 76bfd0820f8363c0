using System.Xml.Linq;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>Roles: trust policies, settings and tags; adapters over <see cref="Application.Identity.RoleService"/>.</summary>
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
        On("PutRolePermissionsBoundary", PutRolePermissionsBoundaryAsync);
        On("DeleteRolePermissionsBoundary", DeleteRolePermissionsBoundaryAsync);
        On("TagRole", TagRoleAsync);
        On("UntagRole", UntagRoleAsync);
        On("ListRoleTags", ListRoleTagsAsync);
    }

    private async Task<XElement?> CreateRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = IamValidation.Name(args.Required("RoleName"), "roleName", 64);
        var path = IamValidation.Path(args.Get("Path"));
        var trust = args.Required("AssumeRolePolicyDocument");
        IamValidation.Length(trust, "policyDocument", 1, 131072);
        var description = args.Get("Description");
        IamValidation.Length(description, "description", 0, 1000);
        var maxSession = args.Int("MaxSessionDuration");
        IamValidation.Range(maxSession, "maxSessionDuration", 3600, 43200);
        var tags = IamValidation.Tags(args.Tags());
        var boundary = args.Get("PermissionsBoundary");
        IamValidation.Length(boundary, "permissionsBoundary", 20, 2048);
        var role = await _roles.CreateRoleAsync(context, name, path, trust, description, maxSession, tags, boundary, cancellationToken);
        return Result("CreateRole", new XElement("Role", Role(role, tags)));
    }

    private async Task<XElement?> PutRolePermissionsBoundaryAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _roles.PutRolePermissionsBoundaryAsync(context, args.Required("RoleName"), args.Required("PermissionsBoundary"), cancellationToken);
        return null;
    }

    private async Task<XElement?> DeleteRolePermissionsBoundaryAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _roles.DeleteRolePermissionsBoundaryAsync(context, args.Required("RoleName"), cancellationToken);
        return null;
    }

    private async Task<XElement?> GetRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var found = await _roles.GetRoleAsync(context, args.Required("RoleName"), cancellationToken);
        return Result("GetRole", new XElement("Role", Role(found.Role, found.Tags, lastUsed: true)));
    }

    private async Task<XElement?> ListRolesAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (roles, paging) = Page(await _roles.ListRolesAsync(context, args.Get("PathPrefix"), cancellationToken), args);
        return Result("ListRoles", Members("Roles", roles.Select(r => Role(r, boundary: false))), paging);
    }

    private async Task<XElement?> DeleteRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _roles.DeleteRoleAsync(context, args.Required("RoleName"), cancellationToken);
        return null;
    }

    private async Task<XElement?> UpdateAssumeRolePolicyAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("RoleName");
        var document = args.Required("PolicyDocument");
        IamValidation.Length(document, "policyDocument", 1, 131072);
        await _roles.UpdateAssumeRolePolicyAsync(context, name, document, cancellationToken);
        return null;
    }

    private async Task<XElement?> UpdateRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("RoleName");
        var description = args.Get("Description");
        IamValidation.Length(description, "description", 0, 1000);
        var maxSession = args.Int("MaxSessionDuration");
        IamValidation.Range(maxSession, "maxSessionDuration", 3600, 43200);
        await _roles.UpdateRoleAsync(context, name, description, maxSession, "UpdateRole", cancellationToken);
        return Result("UpdateRole");
    }

    private async Task<XElement?> UpdateRoleDescriptionAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("RoleName");
        var description = args.Required("Description");
        IamValidation.Length(description, "description", 0, 1000);
        var updated = await _roles.UpdateRoleAsync(context, name, description, null, "UpdateRoleDescription", cancellationToken)
            ?? throw AwsErrors.NoSuchRole(name);
        return Result("UpdateRoleDescription", new XElement("Role", Role(updated.Role, updated.Tags)));
    }

    private async Task<XElement?> TagRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var name = args.Required("RoleName");
        var tags = IamValidation.Tags(args.Tags());
        await _roles.TagRoleAsync(context, name, tags, cancellationToken);
        return null;
    }

    private async Task<XElement?> UntagRoleAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        await _roles.UntagRoleAsync(context, args.Required("RoleName"), args.List("TagKeys"), cancellationToken);
        return null;
    }

    private async Task<XElement?> ListRoleTagsAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (tags, paging) = Page(await _roles.ListRoleTagsAsync(context, args.Required("RoleName"), cancellationToken), args);
        return Result("ListRoleTags", Tags(tags), paging);
    }
}
