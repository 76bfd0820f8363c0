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
            "The ciphertext could not be decrypted: it was not made by a key of this account and region, it was changed, or the EncryptionContext differs from the one used to encrypt it (pass the same pairs). "
            + "Ciphertext made under an RSA key needs the KeyId and EncryptionAlgorithm it was encrypted with.");

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

    /// <summary>AWS's text, then the algorithms the key does take.</summary>
    public static AwsException KmsAlgorithmIncompatible(string algorithm, string keySpec, IEnumerable<string> supported) =>
        new("InvalidKeyUsageException", $"Algorithm {algorithm} is incompatible with key spec {keySpec}. This key takes {string.Join(" or ", supported)}.");

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

    public static AwsException KmsPendingDeletion(string keyArn) => new("KMSInvalidStateException", $"{keyArn} is pending deletion.");

    public static AwsException KmsNotPendingDeletion(string keyArn) => new("KMSInvalidStateException", $"{keyArn} is not pending deletion.");

    /// <summary>KMS's quota of 50 tags per key.</summary>
    public static AwsException KmsTooManyTags(int count) =>
        new("LimitExceededException", $"A KMS key can have at most 50 tags; this request would leave it with {count}. Remove tags with UntagResource first.");

    public static AwsException KmsReservedTag() => KmsTag("Tags beginning with aws: are reserved");

    /// <summary>An alias under alias/aws/ belongs to an AWS managed key, whose policy lets no one manage it.</summary>
    public static AwsException KmsAwsAlias(string principalArn, string action, string aliasArn) =>
        AccessDenied($"User: {principalArn} is not authorized to perform: {action} on resource: {aliasArn} because aliases beginning with alias/aws/ belong to AWS managed keys, which no one can manage");

    /// <summary>The SecureString's key is pending deletion: say which key, when, and how to keep it.</summary>
    public static string KmsPendingDeletionHint(string keyArn, DateTimeOffset deletionDate) =>
        $"{keyArn} is pending deletion. It will be deleted on {deletionDate.UtcDateTime:yyyy-MM-dd HH:mm} UTC, and with it every value encrypted under it; "
        + $"to keep it, run: aws kms cancel-key-deletion --key-id {keyArn} && aws kms enable-key --key-id {keyArn}";

    public static AwsException KmsRotationLimit(string keyArn) =>
        new("LimitExceededException", $"{keyArn} has been rotated on demand 25 times; a key can be rotated on demand at most 25 times.");

    public static AwsException KmsLockout() =>
        KmsMalformedPolicy("The new key policy will not allow you to update the key policy in the future.");

    public static AwsException KmsPolicyName(string name) =>
        new("NotFoundException", $"No such policy exists: {name}. A KMS key has one key policy, named default.");

    public static AwsException KmsRandomSize() => Validation("Please specify the number of bytes (NumberOfBytes, 1 to 1024).");

    public static AwsException KmsKeyPolicyDeny(string principalArn, string action, string keyArn) =>
        AccessDenied($"User: {principalArn} is not authorized to perform: {action} on resource: {keyArn} with an explicit deny in a resource-based policy");

    public static AwsException KmsKeyUsageRequired(string keySpec, IEnumerable<string> usages) =>
        Validation($"You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys. KeySpec {keySpec} takes KeyUsage {string.Join(" or ", usages)}.");

    public static AwsException KmsKeyUsageIncompatible(string keyUsage, string keySpec, IEnumerable<string> usages) =>
        Validation($"KeyUsage {keyUsage} is not compatible with KeySpec {keySpec}. KeySpec {keySpec} takes KeyUsage {string.Join(" or ", usages)}.");

    /// <summary>AWS sends no message for a signature that does not verify; Cairn says what to compare.</summary>
    public static AwsException KmsInvalidSignature() =>
        new("KMSInvalidSignatureException",
            "The signature does not verify: the message, MessageType, SigningAlgorithm or key differs from the ones it was signed with, or the signature was changed.");

    /// <summary>AWS sends no message for a MAC that does not verify; Cairn says what to compare.</summary>
    public static AwsException KmsInvalidMac() =>
        new("KMSInvalidMacException",
            "The MAC does not verify: the message, MacAlgorithm or key differs from the ones GenerateMac used, or the MAC was changed.");

    public static AwsException KmsDigestLength(string signingAlgorithm, int expected, int actual) =>
        Validation($"Digest is invalid length for algorithm {signingAlgorithm}. It takes a {expected}-byte digest; this one is {actual} bytes (with MessageType RAW, KMS hashes the message itself).");

    public static AwsException KmsPlaintextTooLong(string keySpec, string encryptionAlgorithm, int max, int actual) =>
        Validation($"Plaintext is {actual} bytes; {encryptionAlgorithm} with a {keySpec} key encrypts at most {max} bytes. Encrypt larger data with a data key from a symmetric encryption key (GenerateDataKey).");

    /// <summary>GetPublicKey on a symmetric encryption or HMAC key.</summary>
    public static AwsException KmsNoPublicKey(string keyArn, string keySpec) =>
        KmsUnsupported($"{keyArn} is a symmetric key (KeySpec {keySpec}) and has no public key; GetPublicKey takes an asymmetric (RSA or ECC) key.");

    /// <summary>Rotation of an asymmetric or HMAC key.</summary>
    public static AwsException KmsRotationUnsupported(string keyArn, string keySpec) =>
        KmsUnsupported($"{keyArn} has KeySpec {keySpec}: only symmetric encryption keys (SYMMETRIC_DEFAULT) can be rotated. Create a new key and point its alias at it instead (UpdateAlias).");

    public static AwsException KmsEncryptionContextUnsupported(string keySpec) =>
        Validation($"EncryptionContext is supported only with symmetric encryption keys; a {keySpec} key's algorithms take none. Call again without EncryptionContext.");

    /// <summary>A symmetric operation (GenerateDataKey, SecureStrings) asked of an asymmetric or HMAC key.</summary>
    public static AwsException KmsNotSymmetric(string keyArn, string keySpec, string operation) =>
        new("InvalidKeyUsageException", $"{keyArn} has KeySpec {keySpec}; {operation} needs a symmetric encryption key (KeySpec SYMMETRIC_DEFAULT).");

    public static AwsException KmsKeySpecUnsupported(string keySpec) =>
        KmsUnsupported($"Cairn does not support KeySpec {keySpec}; it creates SYMMETRIC_DEFAULT, RSA_2048/3072/4096, ECC_NIST_P256/P384/P521, ECC_SECG_P256K1 and HMAC_224/256/384/512 keys.");

    /// <summary>SM2 data key pairs exist only in China Regions: AWS's text elsewhere, then what Cairn generates.</summary>
    public static AwsException KmsSm2DataKeyPair() =>
        KmsUnsupported("KeyPairSpec SM2 is not supported in this Region. SM2 key pairs exist only in the China Regions; "
            + "Cairn generates RSA_2048/3072/4096, ECC_NIST_P256/P384/P521 and ECC_SECG_P256K1 data key pairs.");

    public static AwsException KmsDataKeyPairSpecUnsupported(string keyPairSpec) =>
        KmsUnsupported($"Cairn does not generate {keyPairSpec} data key pairs; it generates RSA_2048/3072/4096, ECC_NIST_P256/P384/P521 and ECC_SECG_P256K1.");

    public static AwsException KmsKeyAgreementUnsupported(string keySpec) =>
        KmsUnsupported($"Cairn does not serve KEY_AGREEMENT keys (DeriveSharedSecret); create the {keySpec} key with KeyUsage SIGN_VERIFY.");

    public static AwsException KmsAliasKeyType(string aliasName, string currentSpec, string currentUsage, string newSpec, string newUsage) =>
        Validation($"{aliasName} points at a {currentSpec} key with KeyUsage {currentUsage}; UpdateAlias needs a key of the same type (symmetric, asymmetric or HMAC) and key usage, and this one is {newSpec} with {newUsage}.");
}
