using Cairn.Storage.DataProtection;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.DataProtection;

namespace Cairn.Storage.Tests.DataProtection;

public sealed class SqliteDataProtectionKeyStoreTests : DataProtectionKeyStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-dpkeys-").FullName;
    private readonly SqliteDatabase _database;

    public SqliteDataProtectionKeyStoreTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [SqliteDataProtectionKeyStore.Migrations]);
        Store = new SqliteDataProtectionKeyStore(_database);
    }

    protected override IDataProtectionKeyStore Store { get; }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
