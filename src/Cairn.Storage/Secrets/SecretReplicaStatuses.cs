namespace Cairn.Storage.Secrets;

/// <summary>ReplicationStatus's Status values (StatusType in the model).</summary>
public static class SecretReplicaStatuses
{
    public const string InSync = "InSync";
    public const string Failed = "Failed";
    public const string InProgress = "InProgress";
}
