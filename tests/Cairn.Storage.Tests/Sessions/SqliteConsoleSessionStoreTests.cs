using Cairn.Storage.Sessions;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Sessions;

namespace Cairn.Storage.Tests.Sessions;

public sealed class SqliteConsoleSessionStoreTests : ConsoleSessionStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-sessions-").FullName;
    private readonly SqliteDatabase _database;

    public SqliteConsoleSessionStoreTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [SqliteConsoleSessionStore.Migrations]);
        Store = new SqliteConsoleSessionStore(_database);
    }

    protected override IConsoleSessionStore Store { get; }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
