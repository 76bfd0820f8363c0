using Cairn.Storage.Pipelines;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Pipelines;

namespace Cairn.Storage.Tests.Pipelines;

public sealed class SqlitePipelineStoreTests : PipelineStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-pipelinestore-").FullName;
    private readonly SqliteDatabase _database;

    public SqlitePipelineStoreTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [PipelineMigrations.Set]);
        Store = new SqlitePipelineStore(_database);
    }

    protected override IPipelineStore Store { get; }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
