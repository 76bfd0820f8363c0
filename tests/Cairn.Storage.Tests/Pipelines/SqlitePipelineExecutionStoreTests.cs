using Cairn.Storage.Pipelines;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Pipelines;

namespace Cairn.Storage.Tests.Pipelines;

public sealed class SqlitePipelineExecutionStoreTests : PipelineExecutionStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-executionstore-").FullName;
    private readonly SqliteDatabase _database;

    public SqlitePipelineExecutionStoreTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [PipelineExecutionMigrations.Set]);
        Store = new SqlitePipelineExecutionStore(_database);
    }

    protected override IPipelineExecutionStore Store { get; }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
