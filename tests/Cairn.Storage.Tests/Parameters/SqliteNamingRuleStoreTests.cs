using Cairn.Storage.Parameters;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Parameters;

namespace Cairn.Storage.Tests.Parameters;

public sealed class SqliteNamingRuleStoreTests : NamingRuleStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-namingstore-").FullName;
    private readonly SqliteDatabase _database;

    public SqliteNamingRuleStoreTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [SqliteNamingRuleStore.Migrations]);
        Store = new SqliteNamingRuleStore(_database);
    }

    protected override INamingRuleStore Store { get; }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
