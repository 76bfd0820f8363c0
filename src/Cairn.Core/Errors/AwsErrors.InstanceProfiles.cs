namespace Cairn.Core.Errors;

/// <summary>IAM instance profiles.</summary>
public static partial class AwsErrors
{
    /// <summary>IAM's quota: roles per instance profile.</summary>
    public const int MaxRolesPerInstanceProfile = 1;

    /// <summary>AWS's text.</summary>
    public static AwsException InstanceProfileExists(string name) => EntityAlreadyExists($"Instance Profile {name} already exists.");

    /// <summary>AWS's text.</summary>
    public static AwsException NoSuchInstanceProfile(string name) => NoSuchEntity($"Instance Profile {name} cannot be found.");

    /// <summary>AWS's text, for DeleteInstanceProfile with a role in it and DeleteRole of a role in a profile.</summary>
    public static AwsException MustRemoveRolesFromInstanceProfile() => DeleteConflict("Cannot delete entity, must remove roles from instance profile first.");

    /// <summary>AWS's quota text.</summary>
    public static AwsException InstanceProfileFull() =>
        Quota("InstanceSessionsPerInstanceProfile", MaxRolesPerInstanceProfile);

    public static AwsException RoleNotInInstanceProfile(string roleName, string profileName) =>
        NoSuchEntity($"The role {roleName} is not in the instance profile {profileName}: nothing to remove. See aws iam get-instance-profile --instance-profile-name {profileName}.");
}
