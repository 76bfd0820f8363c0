namespace Cairn.Core.Errors;

/// <summary>IAM and STS error codes and texts (Query protocol: the code is the wire Code, statuses from the IAM model).</summary>
public static partial class AwsErrors
{
    public static AwsException MalformedPolicyDocument(string message) => new("MalformedPolicyDocument", message);

    public static AwsException NoSuchEntity(string message) => new("NoSuchEntity", message, 404);

    public static AwsException EntityAlreadyExists(string message) => new("EntityAlreadyExists", message, 409);

    public static AwsException LimitExceeded(string message) => new("LimitExceeded", message, 409);

    public static AwsException InvalidInput(string message) => new("InvalidInput", message);

    public static AwsException DeleteConflict(string message) => new("DeleteConflict", message, 409);

    public static AwsException UnmodifiableEntity(string message) => new("UnmodifiableEntity", message);

    /// <summary>The Query protocol's ValidationError (IAM/STS member constraints), not JSON's ValidationException.</summary>
    public static AwsException QueryValidation(string value, string member, string constraint) =>
        new("ValidationError", $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}");

    /// <summary>ValidationError for a value that cannot be shown (control characters): the member and constraint only.</summary>
    public static AwsException QueryValidationUnprintable(string member, string constraint) =>
        new("ValidationError", $"1 validation error detected: Value at '{member}' failed to satisfy constraint: {constraint}");

    /// <summary>ValidationError for a required member the request left out (AWS shows the value as a bare <c>null</c>).</summary>
    public static AwsException QueryValidationNull(string member) =>
        new("ValidationError", $"1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null");

    /// <summary>The Query protocol's request without an Action parameter (AWS's code and text).</summary>
    public static AwsException MissingAction() => new("MissingAction", "Missing Action");

    /// <summary>AssumeRole asked for a longer session than the role allows.</summary>
    public static AwsException DurationExceedsMaxSession() =>
        new("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");

    public static AwsException MissingParameter(string name) =>
        new("MissingParameter", $"The request must contain the parameter {name}");

    /// <summary>IAM's and STS's AccessDenied (Query protocol code, HTTP 403).</summary>
    public static AwsException QueryAccessDenied(string message) => new("AccessDenied", message, 403);

    /// <summary>STS refuses AssumeRole to an account's root user, whatever the trust policy says.</summary>
    public static AwsException RootCannotAssumeRole() => QueryAccessDenied("Roles may not be assumed by root accounts.");

    public static AwsException NoSuchUser(string name) => NoSuchEntity($"The user with name {name} cannot be found.");

    public static AwsException NoSuchRole(string name) => NoSuchEntity($"The role with name {name} cannot be found.");

    public static AwsException NoSuchGroup(string name) => NoSuchEntity($"The group with name {name} cannot be found.");

    public static AwsException NoSuchPolicy(string arn) => NoSuchEntity($"Policy {arn} was not found.");

    public static AwsException PolicyNotAttachable(string arn) => NoSuchEntity($"Policy {arn} does not exist or is not attachable.");

    public static AwsException NoSuchPolicyVersion(string arn, string versionId) =>
        NoSuchEntity($"Policy {arn} version {versionId} does not exist or is not attachable.");

    /// <param name="kind">user, role or group.</param>
    public static AwsException NoSuchInlinePolicy(string kind, string policyName) =>
        NoSuchEntity($"The {kind} policy with name {policyName} cannot be found.");

    public static AwsException NoSuchAccessKey(string accessKeyId) => NoSuchEntity($"The Access Key with id {accessKeyId} cannot be found.");

    public static AwsException UserExists(string name) => EntityAlreadyExists($"User with name {name} already exists.");

    public static AwsException RoleExists(string name) => EntityAlreadyExists($"Role with name {name} already exists.");

    public static AwsException GroupExists(string name) => EntityAlreadyExists($"Group with name {name} already exists.");

    public static AwsException PolicyExists(string name) =>
        EntityAlreadyExists($"A policy called {name} already exists. Duplicate names are not allowed.");

    /// <summary>IAM's quota errors, e.g. <c>Cannot exceed quota for AccessKeysPerUser: 2</c>.</summary>
    public static AwsException Quota(string quota, int limit) => LimitExceeded($"Cannot exceed quota for {quota}: {limit}");

    public static AwsException InlinePolicyTooLarge(int limit, string kind, string name) =>
        LimitExceeded($"Maximum policy size of {limit} bytes exceeded for {kind} {name}");

    public static AwsException TooManyPolicyVersions() =>
        LimitExceeded("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.");

    public static AwsException MustDeletePolicies() => DeleteConflict("Cannot delete entity, must delete policies first.");

    public static AwsException MustDetachPolicies() => DeleteConflict("Cannot delete entity, must detach all policies first.");

    public static AwsException MustDeleteAccessKeys() => DeleteConflict("Cannot delete entity, must delete access keys first.");

    public static AwsException MustRemoveUserFromGroups() => DeleteConflict("Cannot delete entity, must remove user from all groups first.");

    public static AwsException MustRemoveUsersFromGroup() => DeleteConflict("Cannot delete entity, must remove users from group first.");

    public static AwsException PolicyStillAttached() => DeleteConflict("Cannot delete a policy attached to entities.");

    public static AwsException InvalidArn(string arn) => InvalidInput($"ARN {arn} is not valid.");

    /// <summary>A permissions boundary that names no managed policy of the account (AWS's text).</summary>
    public static AwsException BoundaryNotAttachable(string arn) => NoSuchEntity($"Scope ARN: {arn} does not exist or is not attachable.");

    /// <summary>DeletePolicy of a policy some user or role still has as its permissions boundary.</summary>
    public static AwsException PolicyIsPermissionsBoundary() =>
        DeleteConflict("Cannot delete a policy attached to entities. The policy is the permissions boundary of a user or role: delete it from them first (aws iam delete-user-permissions-boundary or delete-role-permissions-boundary).");

    public static AwsException PolicyHasVersions() =>
        DeleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");

    public static AwsException CannotDeleteDefaultVersion() => DeleteConflict("Cannot delete the default version of a policy.");

    public static AwsException DuplicateTagKeys() => InvalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");

    /// <summary>
    /// A policy attached to a role that does not exist: AWS's text, then the role meant (when one is close) or how to
    /// create it first (as a CodeBuild service role, what the seeds attach policies to).
    /// </summary>
    public static AwsException NoSuchRoleToAttachTo(string name, string? closest) => NoSuchEntity(
        $"The role with name {name} cannot be found. "
        + (closest is not null ? $"Did you mean {closest}? Or create" : "Create")
        + $" the role first: {Identity.Iam.RoleNames.CreateCodeBuildRoleCommand("aws", name)}");
}
