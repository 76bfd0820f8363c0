namespace Cairn.Storage.Secrets;

/// <summary>
/// Secrets Manager's secrets with their versions, per account and region, keyed by name. Values arrive and leave
/// encrypted (<see cref="SecretVersionRecord.Ciphertext"/>). A new backend implements the same contract
/// (SecretStoreContractTests).
/// </summary>
public interface ISecretStore
{
    /// <summary>Stores a new secret; false when a secret of that name exists (deleted or not).</summary>
    Task<bool> CreateAsync(SecretRecord secret, CancellationToken cancellationToken);

    Task<SecretRecord?> GetAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    /// <summary>Every secret of the scope, by name.</summary>
    Task<IReadOnlyList<SecretRecord>> ListAsync(string accountId, string region, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the secret with what <paramref name="change"/> makes of it (versions included), in one transaction (an
    /// exception from it leaves the secret as it was); null when there is no such secret. The name and ARN stay.
    /// </summary>
    Task<SecretRecord?> UpdateAsync(string accountId, string region, string name, Func<SecretRecord, SecretRecord> change, CancellationToken cancellationToken);

    /// <summary>Removes the secret and its versions; false when there was none.</summary>
    Task<bool> DeleteAsync(string accountId, string region, string name, CancellationToken cancellationToken);

    /// <summary>Removes, in every scope, the secrets whose deletion date is at or before <paramref name="now"/>; the ones removed.</summary>
    Task<IReadOnlyList<SecretRecord>> PurgeDueAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
