using Cairn.Storage.DataProtection;

namespace Cairn.Storage.Sqlite.DataProtection;

/// <summary>The dashboard's Data Protection keys in the embedded database (encrypted by the caller; tables from <see cref="Migrations"/>).</summary>
public sealed class SqliteDataProtectionKeyStore(SqliteDatabase database) : IDataProtectionKeyStore
{
    /// <summary>The "dataprotection_keys" module's schema steps. Append only.</summary>
    public static MigrationSet Migrations { get; } = new("dataprotection_keys",
    [
        """
        CREATE TABLE dataprotection_keys (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE,
            protected_xml TEXT NOT NULL);
        """,
    ]);

    public Task<IReadOnlyList<DataProtectionKeyRecord>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DataProtectionKeyRecord>>(database.Read(c => c.Query(
            "SELECT name, protected_xml FROM dataprotection_keys ORDER BY seq", row => new DataProtectionKeyRecord(row.GetString(0), row.GetString(1)))));

    public Task AddAsync(DataProtectionKeyRecord key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return database.WriteAsync(c => c.Execute(
            "INSERT INTO dataprotection_keys (name, protected_xml) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", key.Name, key.ProtectedXml), cancellationToken);
    }
}
