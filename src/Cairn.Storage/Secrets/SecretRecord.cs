namespace Cairn.Storage.Secrets;

/// <summary>
/// A Secrets Manager secret of one account and region, with its versions. <see cref="DeletedDate"/> is set while it is
/// scheduled for deletion (it goes at <see cref="DeletionDate"/>); <see cref="KmsKeyId"/> is what the caller named (null:
/// alias/aws/secretsmanager); <see cref="ResourcePolicy"/> is the JSON PutResourcePolicy stored. A replica has
/// <see cref="PrimaryRegion"/> (its primary's region); a primary lists its <see cref="Replicas"/>.
/// </summary>
public sealed record SecretRecord(
    string AccountId,
    string Region,
    string Name,
    string Arn,
    string? Description,
    string? KmsKeyId,
    DateTimeOffset Created,
    DateTimeOffset LastChanged,
    DateTimeOffset? LastAccessed,
    DateTimeOffset? DeletedDate,
    DateTimeOffset? DeletionDate,
    IReadOnlyList<SecretTag> Tags,
    string? ResourcePolicy,
    IReadOnlyList<SecretVersionRecord> Versions)
{
    /// <summary>Set on a replica: the region of the secret it is kept in step with; null on a primary or standalone secret.</summary>
    public string? PrimaryRegion { get; init; }

    /// <summary>On a primary: its replicas in other regions of the same account.</summary>
    public IReadOnlyList<SecretReplica> Replicas { get; init; } = [];

    /// <summary>RotateSecret's configuration; null when rotation was never configured.</summary>
    public SecretRotation? Rotation { get; init; }

    /// <summary>The version carrying <paramref name="stage"/>, or null.</summary>
    public SecretVersionRecord? VersionWithStage(string stage) => Versions.FirstOrDefault(v => v.Stages.Contains(stage, StringComparer.Ordinal));

    public SecretVersionRecord? Version(string versionId) => Versions.FirstOrDefault(v => v.VersionId == versionId);
}

public sealed record SecretTag(string Key, string Value);

/// <summary>
/// One version of a secret: its value encrypted under KMS (base64 of the ciphertext blob, never plaintext), whether the
/// value is SecretBinary, the key it was encrypted under, and its staging labels (none: deprecated).
/// </summary>
public sealed record SecretVersionRecord(
    string VersionId,
    IReadOnlyList<string> Stages,
    DateTimeOffset Created,
    string Ciphertext,
    bool IsBinary,
    string KeyArn,
    DateTimeOffset? LastAccessed);
