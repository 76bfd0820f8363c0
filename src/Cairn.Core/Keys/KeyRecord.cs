namespace Cairn.Core.Keys;

/// <summary>A KMS key as stored. <see cref="WrappedMaterial"/> is the key material wrapped by the master key, never plaintext.</summary>
/// <param name="KeyManager"><c>CUSTOMER</c>, or <c>AWS</c> for AWS managed keys such as alias/aws/ssm's.</param>
public sealed record KeyRecord(
    KeyScope Scope,
    string KeyId,
    string Description,
    string KeyUsage,
    string KeySpec,
    string Origin,
    string KeyManager,
    bool Enabled,
    DateTimeOffset CreatedAt,
    byte[] WrappedMaterial,
    string? Policy,
    IReadOnlyList<KeyTag> Tags)
{
    public const string CustomerManaged = "CUSTOMER";
    public const string AwsManaged = "AWS";
    public const string SymmetricDefault = "SYMMETRIC_DEFAULT";
    public const string EncryptDecrypt = "ENCRYPT_DECRYPT";
    public const string AwsKmsOrigin = "AWS_KMS";

    public const string PendingDeletion = "PendingDeletion";

    /// <summary>When a scheduled deletion happens; null unless the key is pending deletion.</summary>
    public DateTimeOffset? DeletionDate { get; init; }

    /// <summary>The waiting period ScheduleKeyDeletion was given (7-30 days); null unless pending deletion.</summary>
    public int? PendingWindowInDays { get; init; }

    /// <summary>Automatic rotation's period; null when automatic rotation is off.</summary>
    public int? RotationPeriodInDays { get; init; }

    /// <summary>When automatic rotation next adds material; null when it is off.</summary>
    public DateTimeOffset? NextRotationDate { get; init; }

    /// <summary>Material added by rotations, oldest first; the newest encrypts, every one still decrypts.</summary>
    public IReadOnlyList<KeyMaterialVersion> Rotations { get; init; } = [];

    public string Arn => KeyArns.Key(Scope, KeyId);

    public bool IsAwsManaged => KeyManager == AwsManaged;

    public bool IsPendingDeletion => DeletionDate is not null;

    public string KeyState => IsPendingDeletion ? PendingDeletion : Enabled ? "Enabled" : "Disabled";

    /// <summary>The material version new ciphertext is made under: the newest rotation, or 0.</summary>
    public int CurrentMaterialVersion => Rotations.Count == 0 ? 0 : Rotations[^1].Version;

    public KeyReference ToReference() => new(KeyId, Arn, IsAwsManaged, Enabled) { DeletionDate = DeletionDate, Policy = Policy };
}
