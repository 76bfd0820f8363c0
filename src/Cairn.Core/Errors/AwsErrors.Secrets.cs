namespace Cairn.Core.Errors;

/// <summary>
/// Secrets Manager (secretsmanager) error codes and texts: AWS's own text first; where it is bare, the name and what to
/// do follow it.
/// </summary>
public static partial class AwsErrors
{
    /// <summary>AWS's text, then which secret, the closest names the caller may list (if any) and how to find the right one.</summary>
    public static AwsException SecretNotFound(string secretId, IReadOnlyList<string>? closest = null) =>
        new("ResourceNotFoundException",
            $"Secrets Manager can't find the specified secret. No secret {secretId} in this account and region; "
            + (closest is { Count: > 0 } ? $"did you mean {string.Join(" or ", closest)}? " : string.Empty)
            + "aws secretsmanager list-secrets lists them (a deleted secret shows with --include-planned-deletion).");

    public static AwsException SecretVersionStageNotFound(string secretId, string stage) =>
        new("ResourceNotFoundException",
            $"Secrets Manager can't find the specified secret value for staging label: {stage}. Secret {secretId} has no version labelled {stage}; aws secretsmanager list-secret-version-ids shows its versions and labels.");

    public static AwsException SecretVersionIdNotFound(string secretId, string versionId) =>
        new("ResourceNotFoundException",
            $"Secrets Manager can't find the specified secret value for VersionId: {versionId}. aws secretsmanager list-secret-version-ids --secret-id {secretId} --include-deprecated lists its versions.");

    public static AwsException SecretVersionMismatch(string versionId, string stage) =>
        new("ResourceNotFoundException",
            $"Secrets Manager can't find the specified secret value for VersionId: {versionId} and staging label: {stage}. That version does not carry that label; give one of the two, or a pair that matches (aws secretsmanager list-secret-version-ids).");

    public static AwsException SecretExists(string name) =>
        new("ResourceExistsException", $"The operation failed because the secret {name} already exists.");

    public static AwsException SecretVersionExists() =>
        new("ResourceExistsException",
            "You can't modify an existing version, you can only create a new version. A version with this ClientRequestToken already holds another value; send a new token (or none) to make a new version.");

    public static AwsException SecretMarkedForDeletion() =>
        new("InvalidRequestException",
            "You can't perform this operation on the secret because it was marked for deletion. Restore it first with aws secretsmanager restore-secret.");

    public static AwsException SecretAlreadyMarkedForDeletion() =>
        new("InvalidRequestException",
            "You tried to perform the operation on a secret that's currently marked deleted. Restore it with aws secretsmanager restore-secret, or delete it now with --force-delete-without-recovery.");

    public static AwsException SecretNameScheduledForDeletion(string name) =>
        new("InvalidRequestException",
            $"You can't create this secret because a secret with this name is already scheduled for deletion. Restore {name} with aws secretsmanager restore-secret, or delete it now with --force-delete-without-recovery, then create it again.");

    public static AwsException SecretInvalidParameter(string message) => new("InvalidParameterException", message);

    public static AwsException SecretInvalidRequest(string message) => new("InvalidRequestException", message);

    public static AwsException SecretInvalidName(string name) =>
        SecretInvalidParameter($"Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@! ('{name}' is not).");

    public static AwsException SecretPasswordNoCharacters() =>
        SecretInvalidParameter("The password can't be generated: ExcludeCharacters and the Exclude* switches leave no characters to choose from. Exclude fewer characters or types.");

    public static AwsException SecretPasswordTooShort(int length, IReadOnlyList<string> types) =>
        SecretInvalidParameter(
            $"A password of {length} character(s) can't include each of the {types.Count} included types ({string.Join(", ", types)}) as RequireEachIncludedType asks. Make PasswordLength at least {types.Count}, exclude some types, or pass --no-require-each-included-type.");

    public static AwsException SecretBothValues() =>
        SecretInvalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");

    public static AwsException SecretNoValue() =>
        SecretInvalidRequest("You must provide either SecretString or SecretBinary.");

    public static AwsException SecretRecoveryWindowWithForce() =>
        SecretInvalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");

    public static AwsException SecretRecoveryWindow(long days) =>
        SecretInvalidParameter($"The RecoveryWindowInDays value must be between 7 and 30 days (inclusive); {days} is not.");

    public static AwsException SecretStageAttached(string stage, string versionId) =>
        SecretInvalidParameter(
            $"The staging label {stage} is currently attached to version {versionId}, so you must explicitly reference that version in RemoveFromVersionId.");

    public static AwsException SecretStageNotOnVersion(string stage, string versionId) =>
        SecretInvalidParameter($"The staging label {stage} is not attached to version {versionId}, so it can't be removed from it (aws secretsmanager list-secret-version-ids shows where it is).");

    public static AwsException SecretCurrentNeedsTarget() =>
        SecretInvalidParameter("You can only remove AWSCURRENT from a version by moving it to another one: give MoveToVersionId as well.");

    public static AwsException SecretTooManyStages() =>
        new("LimitExceededException", "A version can have at most 20 staging labels; remove some with update-secret-version-stage first.");

    public static AwsException SecretTooManyTags(int count) =>
        SecretInvalidParameter($"A secret can have at most 50 tags; this change would leave {count}. Remove some with aws secretsmanager untag-resource first.");

    public static AwsException SecretAwsTag(string key) =>
        SecretInvalidParameter($"Tag key {key} starts with aws:, which is reserved for AWS; choose another key.");

    public static AwsException SecretMalformedPolicy(string reason) =>
        new("MalformedPolicyDocumentException", $"This resource policy contains an unsupported principal or is not valid JSON: {reason}");

    public static AwsException SecretInvalidNextToken() =>
        new("InvalidNextTokenException", "The NextToken value is invalid. Send the NextToken of the previous answer unchanged, or none to start again.");

    public static AwsException SecretListFilter(string key) =>
        SecretInvalidParameter($"Invalid filter key {key}: ListSecrets filters by description, name, tag-key, tag-value, primary-region, owning-service or all.");

    public static AwsException SecretResourcePolicyDeny(string principalArn, string action, string secretArn) =>
        AccessDenied(
            $"User: {principalArn} is not authorized to perform: {action} on resource: {secretArn} with an explicit deny in a resource-based policy. Remove or narrow the Deny statement in the secret's policy (aws secretsmanager get-resource-policy shows it).");

    public static AwsException SecretDecryptionFailure(string message) =>
        new("DecryptionFailure", $"Secrets Manager can't decrypt the protected secret text using the provided KMS key. {message}");

    public static AwsException SecretEncryptionFailure(string message) =>
        new("EncryptionFailure", $"Secrets Manager can't encrypt the protected secret text using the provided KMS key. {message}");

    public static AwsException SecretPublicPolicy() =>
        new("PublicPolicyException",
            "The BlockPublicPolicy parameter is set to true, and the resource policy did not prevent broad access to the secret. Name the principals that may read it instead of \"*\", or send BlockPublicPolicy false.");

    /// <summary>SSM's answer for a /aws/reference/secretsmanager/ name read without decryption.</summary>
    public static AwsException SecretReferenceNeedsDecryption() =>
        Validation("WithDecryption flag must be True for retrieving a Secret Value from Secret Manager. Call again with --with-decryption.");

    /// <summary>AWS's text for a write to a replica, then where to make it instead.</summary>
    public static AwsException SecretReplicaReadOnly(string name, string primaryRegion) =>
        SecretInvalidRequest(
            $"Operation not permitted on a replica secret. Call must be made in primary secret's region. {name} here is a replica of the secret in {primaryRegion}: make the change there (aws --region {primaryRegion} secretsmanager ...), or promote this replica to a standalone secret with aws secretsmanager stop-replication-to-replica.");

    public static AwsException SecretNotAReplica(string name) =>
        SecretInvalidRequest(
            $"{name} is not a replica secret, so there is no replication to stop. Call stop-replication-to-replica in a replica's region; from the primary's region, remove replicas with aws secretsmanager remove-regions-from-replication.");

    public static AwsException SecretPrimaryHasReplicas(string name, IEnumerable<string> regions) =>
        SecretInvalidRequest(
            $"You can't delete a primary secret that is replicated to other Regions. Remove the replicas of {name} first: aws secretsmanager remove-regions-from-replication --secret-id {name} --remove-replica-regions {string.Join(' ', regions)}.");

    public static AwsException SecretReplicaRegionInvalid(string message) => SecretInvalidParameter(message);

    public static AwsException SecretRotationRules(string message) => SecretInvalidParameter(message);

    public static AwsException SecretRotationLambdaArn(string arn) =>
        SecretInvalidParameter($"The RotationLambdaARN {arn} is not a Lambda function ARN; give arn:aws:lambda:REGION:ACCOUNT:function:NAME.");

    public static AwsException SecretRotationNotConfigured(string name) =>
        SecretInvalidRequest(
            $"No Lambda rotation function ARN is associated with this secret. {name} has no rotation configured: give --rotation-lambda-arn and --rotation-rules to RotateSecret.");

    /// <summary>
    /// AWS's answer when it cannot invoke the rotation function; in Cairn no rotation function is ever run, so the text says
    /// that and how to keep the schedule or change the value instead.
    /// </summary>
    public static AwsException SecretRotationFunctionNotRun(string name, string lambdaArn) =>
        AccessDenied(
            $"Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access to the principal secretsmanager.amazonaws.com. Cairn records rotation schedules but runs no rotation functions, so {lambdaArn} was not invoked and nothing changed. To keep the schedule without rotating now, call rotate-secret again with --no-rotate-immediately; to put a new value, call aws secretsmanager put-secret-value --secret-id {name}.");
}
