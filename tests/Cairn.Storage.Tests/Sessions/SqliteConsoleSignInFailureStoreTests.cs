using Cairn.Storage.Sessions;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Sessions;

namespace Cairn.Storage.Tests.Sessions;

public sealed class SqliteConsoleSignInFailureStoreTests : ConsoleSignInFailureStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-sign-in-failures-").FullName;
    private readonly SqliteDatabase _database;
    private readonly SqliteDatabase _otherDatabase;

    public SqliteConsoleSignInFailureStoreTests()
    {
        var path = Path.Combine(_directory, "cairn.db");
        _database = SqliteDatabase.Open(path, [SqliteConsoleSessionStore.Migrations]);
        _otherDatabase = SqliteDatabase.Open(path, [SqliteConsoleSessionStore.Migrations]);
        Store = new SqliteConsoleSignInFailureStore(_database);
        OtherServer = new SqliteConsoleSignInFailureStore(_otherDatabase);
    }

    protected override IConsoleSignInFailureStore Store { get; }

    protected override IConsoleSignInFailureStore OtherServer { get; }

    public void Dispose()
    {
        _otherDatabase.Dispose();
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
