namespace Cairn.Storage.DataProtection;

/// <summary>
/// The dashboard's ASP.NET Data Protection key ring (the keys behind antiforgery tokens), shared by every server on the
/// database so a form rendered by one is accepted by another. Holds each key's XML only as the caller encrypted it
/// (under the master key): the store never sees a plaintext key. Contract: DataProtectionKeyStoreContractTests.
/// </summary>
public interface IDataProtectionKeyStore
{
    /// <summary>Every stored key, in the order they were added.</summary>
    Task<IReadOnlyList<DataProtectionKeyRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Stores a key; a name already stored keeps its first value (a key never changes once written).</summary>
    Task AddAsync(DataProtectionKeyRecord key, CancellationToken cancellationToken);
}
