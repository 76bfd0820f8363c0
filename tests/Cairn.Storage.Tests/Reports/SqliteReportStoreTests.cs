using Cairn.Storage.Reports;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Reports;

namespace Cairn.Storage.Tests.Reports;

public sealed class SqliteReportStoreTests : ReportStoreContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-reportstore-").FullName;
    private readonly SqliteDatabase _database;

    public SqliteReportStoreTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [ReportMigrations.Set]);
        Store = new SqliteReportStore(_database);
    }

    protected override IReportStore Store { get; }

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
