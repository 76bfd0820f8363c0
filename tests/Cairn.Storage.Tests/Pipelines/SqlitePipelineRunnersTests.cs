using Cairn.Storage.Pipelines;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Pipelines;

namespace Cairn.Storage.Tests.Pipelines;

public sealed class SqlitePipelineRunnersTests : PipelineRunnersContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-pipeline-runners-").FullName;
    private readonly SqliteDatabase _database;
    private readonly SqliteDatabase _otherDatabase;

    public SqlitePipelineRunnersTests()
    {
        var path = Path.Combine(_directory, "cairn.db");
        _database = SqliteDatabase.Open(path, [SqlitePipelineRunners.Migrations]);
        _otherDatabase = SqliteDatabase.Open(path, [SqlitePipelineRunners.Migrations]);
        Runners = new SqlitePipelineRunners(_database);
        OtherServer = new SqlitePipelineRunners(_otherDatabase);
    }

    protected override IPipelineRunners Runners { get; }

    protected override IPipelineRunners OtherServer { get; }

    public void Dispose()
    {
        _otherDatabase.Dispose();
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
