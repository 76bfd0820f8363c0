using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// Service-linked roles (<see cref="ServiceLinkedRoles"/>): created for a service principal, deleted only through
/// DeleteServiceLinkedRole (DeleteRole and UpdateAssumeRolePolicy answer UnmodifiableEntity: <see cref="RoleService"/>).
/// Deletion is immediate, so a deletion task's status is SUCCEEDED once its role is gone. Authorized as
/// <c>iam:&lt;Action&gt;</c> on the role's ARN; CreateServiceLinkedRole carries <c>iam:AWSServiceName</c>.
/// </summary>
public sealed class ServiceLinkedRoleService(IIdentityStore store, IAuthorizer authorizer, TimeProvider time)
{
    public async Task<IamRole> CreateAsync(RequestContext context, string service, string? description, string? customSuffix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (path, name) = ServiceLinkedRoles.For(service, customSuffix);
        var arn = IamArns.Of(context.AccountId, "role", path, name);
        await authorizer.AuthorizeAsync(context, new AccessRequest("iam:CreateServiceLinkedRole", arn)
        {
            Conditions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["iam:AWSServiceName"] = service },
        }, cancellationToken);
        if (await store.FindRoleAsync(context.AccountId, name, cancellationToken) is not null)
        {
            throw AwsErrors.ServiceRoleNameTaken(name);
        }

        var role = new IamRole(context.AccountId, name, IdentityIds.RoleId(), path, arn, time.GetUtcNow(), ServiceLinkedRoles.TrustPolicy(service), description, 3600);
        await store.CreateRoleAsync(role, [], cancellationToken);
        return role;
    }

    /// <summary>Deletes the role at once and returns the deletion task's id.</summary>
    public async Task<string> DeleteAsync(RequestContext context, string roleName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var role = await store.FindRoleAsync(context.AccountId, roleName, cancellationToken);
        await authorizer.AuthorizeAsync(context, "iam:DeleteServiceLinkedRole", RoleService.RoleArn(context, roleName, role), cancellationToken);
        if (role is null)
        {
            throw AwsErrors.NoSuchRole(roleName);
        }

        if (!ServiceLinkedRoles.IsServiceLinked(role))
        {
            throw AwsErrors.NotServiceLinked(role.RoleName);
        }

        await store.DeleteRoleAsync(context.AccountId, role.RoleName, cancellationToken);
        return ServiceLinkedRoles.DeletionTaskId(role);
    }

    /// <summary>SUCCEEDED once the task's role is gone (deletion is immediate); NoSuchEntity while a role of that name exists.</summary>
    public async Task<string> DeletionStatusAsync(RequestContext context, string taskId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var roleName = ServiceLinkedRoles.RoleNameOfTask(taskId) ?? throw AwsErrors.InvalidDeletionTaskId(taskId);
        var role = await store.FindRoleAsync(context.AccountId, roleName, cancellationToken);
        await authorizer.AuthorizeAsync(context, "iam:GetServiceLinkedRoleDeletionStatus", RoleService.RoleArn(context, roleName, role), cancellationToken);
        return role is null ? "SUCCEEDED" : throw AwsErrors.NoSuchDeletionTask(taskId);
    }
}
