using Cairn.Core.Errors;

namespace Cairn.Core.Identity;

/// <summary>iam:PassRole as every API that hands a role to a service checks it.</summary>
public static class PassRoleAuthorization
{
    /// <summary>
    /// Authorizes iam:PassRole on <paramref name="roleArn"/> with iam:PassedToService = <paramref name="service"/> and
    /// iam:AssociatedResourceArn = <paramref name="resourceArn"/>: without it, anyone who may configure the resource could
    /// make the service act as any role. A denial is AWS's AccessDenied followed by the statement that grants it.
    /// </summary>
    public static async Task AuthorizePassRoleAsync(
        this IAuthorizer authorizer, RequestContext context, string roleArn, string service, string resourceArn, CancellationToken cancellationToken)
    {
        var request = new AccessRequest("iam:PassRole", roleArn)
        {
            Conditions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["iam:PassedToService"] = service,
                ["iam:AssociatedResourceArn"] = resourceArn,
            },
        };
        try
        {
            await authorizer.AuthorizeAsync(context, request, cancellationToken);
        }
        catch (AwsException denied) when (denied.IsAccessDenied)
        {
            throw AwsErrors.PassRoleDenied(denied.Message, roleArn, service);
        }
    }
}
