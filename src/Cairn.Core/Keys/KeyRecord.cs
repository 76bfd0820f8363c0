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

    public string Arn => KeyArns.Key(Scope, KeyId);

    public bool IsAwsManaged => KeyManager == AwsManaged;

    public string KeyState => Enabled ? "Enabled" : "Disabled";

    public KeyReference ToReference() => new(KeyId, Arn, IsAwsManaged, Enabled);
}
