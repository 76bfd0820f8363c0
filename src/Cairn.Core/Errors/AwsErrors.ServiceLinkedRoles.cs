namespace Cairn.Core.Errors;

/// <summary>Service-linked roles.</summary>
public static partial class AwsErrors
{
    public static AwsException NotAServicePrincipal(string service) => InvalidInput(
        $"{service} is not an AWS service principal: give the service's principal, such as autoscaling.amazonaws.com.");

    /// <summary>AWS's text.</summary>
    public static AwsException ServiceRoleNameTaken(string roleName) =>
        InvalidInput($"Service role name {roleName} has been taken in this account, please try a different suffix.");

    /// <summary>AWS's text for a change to a service-linked role through the ordinary role operations.</summary>
    public static AwsException ProtectedRole(string roleName) => UnmodifiableEntity(
        $"Cannot perform the operation on the protected role '{roleName}' - this role is only modifiable by AWS. Delete it with aws iam delete-service-linked-role --role-name {roleName}.");

    public static AwsException NotServiceLinked(string roleName) => InvalidInput(
        $"The role {roleName} is not a service-linked role: delete it with aws iam delete-role.");

    public static AwsException NoSuchDeletionTask(string taskId) => NoSuchEntity(
        $"Deletion task {taskId} was not found: give the DeletionTaskId that DeleteServiceLinkedRole returned.");

    public static AwsException InvalidDeletionTaskId(string taskId) => InvalidInput(
        $"Invalid deletion task id {taskId}: it looks like task/aws-service-role/<service>/<role name>/<uuid>, as DeleteServiceLinkedRole returns it.");
}
