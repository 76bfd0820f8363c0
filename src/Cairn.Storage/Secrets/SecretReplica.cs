namespace Cairn.Storage.Secrets;

/// <summary>
/// One replica of a primary secret as the primary records it: its region, the key the caller named for it (null:
/// that region's aws/secretsmanager), and how the last replication went (<see cref="SecretReplicaStatuses"/>).
/// </summary>
public sealed record SecretReplica(string Region, string? KmsKeyId, string Status, string? StatusMessage);
