using Cairn.Storage.Keys;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Keys;

namespace Cairn.Storage.Tests.Keys;

public sealed class SqliteKeyStoreTests : KeyStoreContractTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cairn-keystore-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteDatabase _database;

    public SqliteKeyStoreTests()
    {
        Directory.CreateDirectory(_directory);
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [KeyMigrations.Set]);
        Store = new SqliteKeyStore(_database);
    }

    protected override IKeyStore Store { get; }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
