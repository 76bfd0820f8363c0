using System.Xml.Linq;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>Service-linked roles; adapters over <see cref="Application.Identity.ServiceLinkedRoleService"/>.</summary>
internal sealed partial class IamService
{
    private void RegisterServiceLinkedRoles()
    {
        On("CreateServiceLinkedRole", async (args, context, ct) =>
        {
            var role = await _serviceLinkedRoles.CreateAsync(context, args.Required("AWSServiceName"), args.Get("Description"), args.Get("CustomSuffix"), ct);
            return Result("CreateServiceLinkedRole", new XElement("Role", Role(role)));
        });
        On("DeleteServiceLinkedRole", async (args, context, ct) =>
            Result("DeleteServiceLinkedRole", E("DeletionTaskId", await _serviceLinkedRoles.DeleteAsync(context, args.Required("RoleName"), ct))));
        On("GetServiceLinkedRoleDeletionStatus", async (args, context, ct) =>
            Result("GetServiceLinkedRoleDeletionStatus", E("Status", await _serviceLinkedRoles.DeletionStatusAsync(context, args.Required("DeletionTaskId"), ct))));
    }
}
