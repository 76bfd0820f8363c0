using Cairn.Storage.Builds;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Builds;

namespace Cairn.Storage.Tests.Builds;

public sealed class SqliteBuildAgentStoreTests : BuildAgentStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-agentstore-").FullName;
    private readonly SqliteDatabase _database;
    private readonly SqliteBuildAgentStore _store;

    public SqliteBuildAgentStoreTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [BuildMigrations.Set]);
        _store = new SqliteBuildAgentStore(_database);
    }

    protected override IBuildAgentStore Store => _store;

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
