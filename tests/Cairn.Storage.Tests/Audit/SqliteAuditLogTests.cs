using Cairn.Core.Audit;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Audit;

namespace Cairn.Storage.Tests.Audit;

public sealed class SqliteAuditLogTests : AuditLogContractTests, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-audit-").FullName;
    private readonly SqliteDatabase _database;
    private readonly SqliteAuditLog _log;

    public SqliteAuditLogTests()
    {
        _database = SqliteDatabase.Open(Path.Combine(_directory, "contract.db"), [SqliteAuditLog.Migrations]);
        _log = new SqliteAuditLog(_database);
    }

    protected override IAuditLog Log => _log;

    [Fact]
    public async Task Flushed_entries_survive_reopening_and_come_back_newest_first()
    {
        var file = Path.Combine(_directory, "cairn.db");
        var now = DateTimeOffset.UtcNow;
        using (var database = SqliteDatabase.Open(file, [SqliteAuditLog.Migrations]))
        {
            await using var log = new SqliteAuditLog(database);
            log.Append([Entry("arn:aws:iam::000000000000:root", "ssm:GetParameter", "Allow", now.AddMinutes(-2))]);
            log.Append([Entry("arn:aws:iam::000000000000:user/ci", "ssm:PutParameter", "Deny", now.AddMinutes(-1))]);
            await log.FlushAsync(CancellationToken.None);
        }

        using var reopened = SqliteDatabase.Open(file, [SqliteAuditLog.Migrations]);
        await using var again = new SqliteAuditLog(reopened);
        var entries = await again.QueryAsync(new AuditQuery(), CancellationToken.None);

        Assert.Equal(["ssm:PutParameter", "ssm:GetParameter"], entries.Select(e => e.Action));
        Assert.Equal("AccessDeniedException", entries[0].ErrorCode);
    }

    public void Dispose()
    {
        // Waits for the writer loop to end before the database goes; nothing to deadlock on in a test.
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
