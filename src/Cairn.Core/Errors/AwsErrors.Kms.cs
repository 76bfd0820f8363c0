namespace Cairn.Core.Errors;

/// <summary>KMS (TrentService) error codes and texts, as AWS KMS words them.</summary>
public static partial class AwsErrors
{
    public static AwsException KmsKeyNotFound(string keyArn) => new("NotFoundException", $"Key '{keyArn}' does not exist");

    public static AwsException KmsAliasNotFound(string aliasArn) => new("NotFoundException", $"Alias {aliasArn} is not found.");

    /// <summary>A KeyId that is neither a key id (UUID), an ARN nor an alias.</summary>
    public static AwsException KmsInvalidKeyId(string keyId) => new("NotFoundException", $"Invalid keyId '{keyId}'");

    /// <summary>An ARN naming another region than the request's, or not a KMS key/alias ARN at all.</summary>
    public static AwsException KmsInvalidArn(string detail) => new("NotFoundException", $"Invalid arn {detail}");

    public static AwsException KmsDisabled(string keyArn) => new("DisabledException", $"{keyArn} is disabled.");

    /// <summary>AWS sends no message: the ciphertext, or the encryption context bound to it, is wrong. Cairn says which to check.</summary>
    public static AwsException KmsInvalidCiphertext() =>
        new("InvalidCiphertextException",
            "The ciphertext could not be decrypted: it was not made by a key of this account and region, it was changed, or the EncryptionContext differs from the one used to encrypt it (pass the same pairs).");

    public static AwsException KmsIncorrectKey() =>
        new("IncorrectKeyException", "The key ID in the request does not identify a CMK that can perform this operation.");

    public static AwsException KmsAliasAlreadyExists(string aliasArn) =>
        new("AlreadyExistsException", $"An alias with the name {aliasArn} already exists");

    public static AwsException KmsAliasPrefixRequired() =>
        new("ValidationException",
            "Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");

    public static AwsException KmsAliasInvalidCharacters(string aliasName) =>
        new("ValidationException", $"{aliasName} contains invalid characters for an alias");

    public static AwsException KmsAliasReserved(string aliasName) =>
        new("InvalidAliasNameException", $"{aliasName} is not a valid alias name: the prefix alias/aws/ is reserved for AWS managed keys.");

    public static AwsException KmsAliasEmpty(string aliasName) =>
        new("InvalidAliasNameException", $"{aliasName} is not a valid alias name: a name must follow the prefix \"alias/\".");

    public static AwsException KmsInvalidKeyUsage(string keyArn, string keyUsage, string operation) =>
        new("InvalidKeyUsageException", $"{keyArn} key usage is {keyUsage} which is not valid for {operation}.");

    public static AwsException KmsAlgorithmIncompatible(string algorithm, string keySpec) =>
        new("InvalidKeyUsageException", $"Algorithm {algorithm} is incompatible with key spec {keySpec}.");

    public static AwsException KmsUnsupported(string message) => new("UnsupportedOperationException", message);

    public static AwsException KmsInvalidMarker() => new("InvalidMarkerException", "Invalid marker: pass NextMarker from the previous response unchanged.");

    public static AwsException KmsTag(string message) => new("TagException", message);

    public static AwsException KmsDryRun() =>
        new("DryRunOperationException", "The request would have succeeded, but the DryRun option is set.", 412);

    /// <summary>An AWS managed key's policy lets no one manage it, or use it except through the owning service.</summary>
    public static AwsException KmsNoResourcePolicy(string principalArn, string action, string keyArn) =>
        AccessDenied($"User: {principalArn} is not authorized to perform: {action} on resource: {keyArn} because no resource-based policy allows the {action} action");

    public static AwsException KmsDataKeySize() => Validation("Please specify either number of bytes or key spec.");

    public static AwsException KmsMalformedPolicy(string message) => new("MalformedPolicyDocumentException", message);
}
