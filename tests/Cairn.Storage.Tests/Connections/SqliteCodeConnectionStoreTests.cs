using Cairn.Storage.Connections;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Connections;

namespace Cairn.Storage.Tests.Connections;

public sealed class SqliteCodeConnectionStoreTests : CodeConnectionStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-connectionstore-").FullName;
    private readonly SqliteDatabase _database;

    public SqliteCodeConnectionStoreTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [ConnectionMigrations.Set]);
        Store = new SqliteCodeConnectionStore(_database);
    }

    protected override ICodeConnectionStore Store { get; }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
