using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>
/// The KMS operations' input shapes, transcribed from the service model (aws-models/kms); members Cairn refuses or
/// ignores are typed but not bounded. Enum values are in the model's order, which AWS's messages list them in.
/// </summary>
internal static class KmsShapes
{
    private const int MaxPlaintext = 4096;
    private const int MaxCiphertext = 6144;

    private static readonly string[] KeyUsages = ["SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"];

    private static readonly string[] KeySpecs =
    [
        "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "SYMMETRIC_DEFAULT",
        "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519",
    ];

    private static readonly string[] Origins = ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"];

    private static readonly string[] EncryptionAlgorithms = ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"];

    private static readonly StringShape KeyId = new(1, 2048);
    private static readonly StringShape Text = new();
    private static readonly BooleanShape Boolean = new();
    private static readonly NumberShape Limit = new(1, 1000);
    private static readonly StringShape AliasName = new(1, 256, "^[a-zA-Z0-9:/_-]+$");
    private static readonly MapShape EncryptionContext = new(Text, Text);
    private static readonly StringShape EncryptionAlgorithm = new(Enum: EncryptionAlgorithms);
    private static readonly StructureShape Recipient = new();

    private static readonly ListShape GrantTokens = new(Text, 0, 10);

    private static readonly StringShape SigningAlgorithm = new(Enum:
    [
        "RSASSA_PSS_SHA_256", "RSASSA_PSS_SHA_384", "RSASSA_PSS_SHA_512", "RSASSA_PKCS1_V1_5_SHA_256", "RSASSA_PKCS1_V1_5_SHA_384",
        "RSASSA_PKCS1_V1_5_SHA_512", "ECDSA_SHA_256", "ECDSA_SHA_384", "ECDSA_SHA_512", "SM2DSA", "ML_DSA_SHAKE_256", "ED25519_SHA_512", "ED25519_PH_SHA_512",
    ]);

    private static readonly StringShape MacAlgorithm = new(Enum: ["HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384", "HMAC_SHA_512"]);

    /// <summary>Sign's and Verify's Message, GenerateMac's too: PlaintextType, 1-4096 bytes.</summary>
    private static readonly BlobShape Message = new(1, MaxPlaintext);

    private static readonly BlobShape Signature = new(1, MaxCiphertext);

    private static readonly ListShape Tags = new(new StructureShape(
        new MemberShape("TagKey", new StringShape(1, 128), true),
        new MemberShape("TagValue", new StringShape(0, 256), true)));

    public static readonly StructureShape CreateKey = new(
        new MemberShape("Policy", new StringShape(1, 131072)),
        new MemberShape("Description", new StringShape(0, 8192)),
        new MemberShape("KeyUsage", new StringShape(Enum: KeyUsages)),
        new MemberShape("CustomerMasterKeySpec", new StringShape(Enum: KeySpecs[..13])),
        new MemberShape("KeySpec", new StringShape(Enum: KeySpecs)),
        new MemberShape("Origin", new StringShape(Enum: Origins)),
        new MemberShape("CustomKeyStoreId", Text),
        new MemberShape("BypassPolicyLockoutSafetyCheck", Boolean),
        new MemberShape("Tags", Tags),
        new MemberShape("MultiRegion", Boolean),
        new MemberShape("XksKeyId", Text));

    /// <summary>DescribeKey, EnableKey, DisableKey: the key alone.</summary>
    public static readonly StructureShape KeyOnly = new(new MemberShape("KeyId", KeyId, true));

    public static readonly StructureShape ListKeys = new(
        new MemberShape("Limit", Limit),
        new MemberShape("Marker", Text));

    public static readonly StructureShape CreateAlias = new(
        new MemberShape("AliasName", AliasName, true),
        new MemberShape("TargetKeyId", KeyId, true));

    public static readonly StructureShape ListAliases = new(
        new MemberShape("KeyId", KeyId),
        new MemberShape("Limit", Limit),
        new MemberShape("Marker", Text));

    public static readonly StructureShape Encrypt = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("Plaintext", new BlobShape(1, MaxPlaintext), true),
        new MemberShape("EncryptionContext", EncryptionContext),
        new MemberShape("EncryptionAlgorithm", EncryptionAlgorithm),
        new MemberShape("DryRun", Boolean));

    /// <summary>The model leaves CiphertextBlob optional (for Recipient); without Recipient, which Cairn refuses, it is required.</summary>
    public static readonly StructureShape Decrypt = new(
        new MemberShape("CiphertextBlob", new BlobShape(1, MaxCiphertext), true),
        new MemberShape("EncryptionContext", EncryptionContext),
        new MemberShape("KeyId", KeyId),
        new MemberShape("EncryptionAlgorithm", EncryptionAlgorithm),
        new MemberShape("Recipient", Recipient),
        new MemberShape("DryRun", Boolean));

    /// <summary>GenerateDataKey and GenerateDataKeyWithoutPlaintext.</summary>
    public static readonly StructureShape GenerateDataKey = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("EncryptionContext", EncryptionContext),
        new MemberShape("NumberOfBytes", new NumberShape(1, 1024)),
        new MemberShape("KeySpec", new StringShape(Enum: ["AES_256", "AES_128"])),
        new MemberShape("Recipient", Recipient),
        new MemberShape("DryRun", Boolean));

    /// <summary>GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext.</summary>
    public static readonly StructureShape GenerateDataKeyPair = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("KeyPairSpec", new StringShape(Enum:
            ["RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1", "SM2", "ECC_NIST_EDWARDS25519"]), true),
        new MemberShape("EncryptionContext", EncryptionContext),
        new MemberShape("GrantTokens", GrantTokens),
        new MemberShape("Recipient", Recipient),
        new MemberShape("DryRun", Boolean));

    /// <summary>The model allows 1-365 days; KMS takes 7-30 and says so in the model's words.</summary>
    public static readonly StructureShape ScheduleKeyDeletion = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("PendingWindowInDays", new NumberShape(7, 30)));

    public static readonly StructureShape UpdateKeyDescription = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("Description", new StringShape(0, 8192), true));

    /// <summary>UpdateAlias: CreateAlias's shape.</summary>
    public static readonly StructureShape UpdateAlias = CreateAlias;

    public static readonly StructureShape DeleteAlias = new(new MemberShape("AliasName", AliasName, true));

    public static readonly StructureShape GenerateRandom = new(
        new MemberShape("NumberOfBytes", new NumberShape(1, 1024)),
        new MemberShape("CustomKeyStoreId", new StringShape(1, 64)),
        new MemberShape("Recipient", Recipient));

    public static readonly StructureShape TagResource = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("Tags", Tags, true));

    public static readonly StructureShape UntagResource = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("TagKeys", new ListShape(new StringShape(1, 128)), true));

    /// <summary>ListResourceTags, ListKeyPolicies, ListKeyRotations: a key and a page.</summary>
    public static readonly StructureShape KeyPage = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("Limit", Limit),
        new MemberShape("Marker", new StringShape(1, 1024)),
        new MemberShape("IncludeKeyMaterial", new StringShape(Enum: ["ALL_KEY_MATERIAL", "ROTATIONS_ONLY"])));

    public static readonly StructureShape EnableKeyRotation = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("RotationPeriodInDays", new NumberShape(90, 2560)));

    public static readonly StructureShape ReEncrypt = new(
        new MemberShape("CiphertextBlob", new BlobShape(1, MaxCiphertext), true),
        new MemberShape("SourceEncryptionContext", EncryptionContext),
        new MemberShape("SourceKeyId", KeyId),
        new MemberShape("DestinationKeyId", KeyId, true),
        new MemberShape("DestinationEncryptionContext", EncryptionContext),
        new MemberShape("SourceEncryptionAlgorithm", EncryptionAlgorithm),
        new MemberShape("DestinationEncryptionAlgorithm", EncryptionAlgorithm),
        new MemberShape("GrantTokens", GrantTokens),
        new MemberShape("DryRun", Boolean));

    /// <summary>GetPublicKey.</summary>
    public static readonly StructureShape GetPublicKey = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("GrantTokens", GrantTokens));

    public static readonly StructureShape Sign = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("Message", Message, true),
        new MemberShape("MessageType", new StringShape(Enum: ["RAW", "DIGEST", "EXTERNAL_MU"])),
        new MemberShape("GrantTokens", GrantTokens),
        new MemberShape("SigningAlgorithm", SigningAlgorithm, true),
        new MemberShape("DryRun", Boolean));

    public static readonly StructureShape Verify = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("Message", Message, true),
        new MemberShape("MessageType", new StringShape(Enum: ["RAW", "DIGEST", "EXTERNAL_MU"])),
        new MemberShape("Signature", Signature, true),
        new MemberShape("SigningAlgorithm", SigningAlgorithm, true),
        new MemberShape("GrantTokens", GrantTokens),
        new MemberShape("DryRun", Boolean));

    public static readonly StructureShape GenerateMac = new(
        new MemberShape("Message", Message, true),
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("MacAlgorithm", MacAlgorithm, true),
        new MemberShape("GrantTokens", GrantTokens),
        new MemberShape("DryRun", Boolean));

    public static readonly StructureShape VerifyMac = new(
        new MemberShape("Message", Message, true),
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("MacAlgorithm", MacAlgorithm, true),
        new MemberShape("Mac", Signature, true),
        new MemberShape("GrantTokens", GrantTokens),
        new MemberShape("DryRun", Boolean));

    public static readonly StructureShape GetKeyPolicy = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("PolicyName", new StringShape(1, 128, "[\\w]+")));

    public static readonly StructureShape PutKeyPolicy = new(
        new MemberShape("KeyId", KeyId, true),
        new MemberShape("PolicyName", new StringShape(1, 128, "[\\w]+")),
        new MemberShape("Policy", new StringShape(1, 131072), true),
        new MemberShape("BypassPolicyLockoutSafetyCheck", Boolean));
}
