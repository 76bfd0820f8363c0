using Cairn.Storage.DataProtection;

namespace Cairn.Storage.Postgres.DataProtection;

/// <summary>The dashboard's Data Protection keys in PostgreSQL (schema <c>cairn_dataprotection</c>), encrypted by the caller, shared by every server.</summary>
public sealed class PostgresDataProtectionKeyStore(PostgresDatabase database) : IDataProtectionKeyStore
{
    /// <summary>The "dataprotection_keys" store's schema steps. Append only.</summary>
    public static PostgresMigrationSet Migrations { get; } = new("dataprotection_keys",
    [
        """
        CREATE SCHEMA cairn_dataprotection;
        CREATE TABLE cairn_dataprotection.keys (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text COLLATE "C" NOT NULL UNIQUE,
            protected_xml text NOT NULL);
        """,
    ]);

    public async Task<IReadOnlyList<DataProtectionKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            "SELECT name, protected_xml FROM cairn_dataprotection.keys ORDER BY seq", row => new DataProtectionKeyRecord(row.GetString(0), row.GetString(1))),
            cancellationToken).ConfigureAwait(false);

    public Task AddAsync(DataProtectionKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return database.WriteAsync(s => s.ExecuteAsync(
            "INSERT INTO cairn_dataprotection.keys (name, protected_xml) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", key.Name, key.ProtectedXml), cancellationToken);
    }
}
