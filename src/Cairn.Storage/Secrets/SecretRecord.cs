namespace Cairn.Storage.Secrets;

/// <summary>
/// A Secrets Manager secret of one account and region, with its versions. <see cref="DeletedDate"/> is set while it is
/// scheduled for deletion (it goes at <see cref="DeletionDate"/>); <see cref="KmsKeyId"/> is what the caller named (null:
/// alias/aws/secretsmanager); <see cref="ResourcePolicy"/> is the JSON PutResourcePolicy stored.
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
