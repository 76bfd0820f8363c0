using Cairn.Storage.Builds;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Builds;

namespace Cairn.Storage.Tests.Builds;

public sealed class SqliteBuildStoreTests : BuildStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-buildstore-").FullName;
    private readonly SqliteDatabase _database;

    public SqliteBuildStoreTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [BuildMigrations.Set]);
        Store = new SqliteBuildStore(_database);
    }

    protected override IBuildStore Store { get; }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
