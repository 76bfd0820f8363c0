using Cairn.Core.Audit;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Audit;

namespace Cairn.Storage.Tests.Audit;

public sealed class SqliteAuditLogTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-audit-").FullName;

    private static AuditEntry Entry(string principal, string action, string decision, DateTimeOffset time) =>
        new(time, Guid.NewGuid().ToString(), principal, "AKIAEXAMPLE", "us-east-1", action, action,
            "arn:aws:ssm:us-east-1:000000000000:parameter/x", decision, decision == "Deny" ? "AccessDeniedException" : null, "127.0.0.1");

    [Fact]
    public async Task Entries_older_than_a_time_are_deleted_oldest_first_a_batch_at_a_time()
    {
        using var database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [SqliteAuditLog.Migrations]);
        await using var log = new SqliteAuditLog(database);
        var now = DateTimeOffset.UtcNow;
        log.Append(
        [
            Entry("arn:aws:iam::000000000000:root", "ssm:A", "Allow", now.AddDays(-100)),
            Entry("arn:aws:iam::000000000000:root", "ssm:B", "Allow", now.AddDays(-91)),
            Entry("arn:aws:iam::000000000000:root", "ssm:C", "Allow", now.AddDays(-89)),
        ]);
        await log.FlushAsync(CancellationToken.None);

        Assert.Equal(1, await log.DeleteOlderThanAsync(now.AddDays(-90), 1, CancellationToken.None));
        Assert.Equal(["ssm:C", "ssm:B"], (await log.QueryAsync(new AuditQuery(), CancellationToken.None)).Select(e => e.Action));
        Assert.Equal(1, await log.DeleteOlderThanAsync(now.AddDays(-90), 10, CancellationToken.None));
        Assert.Equal(0, await log.DeleteOlderThanAsync(now.AddDays(-90), 10, CancellationToken.None));
        Assert.Equal(["ssm:C"], (await log.QueryAsync(new AuditQuery(), CancellationToken.None)).Select(e => e.Action));
    }

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

    [Fact]
    public async Task Filters_by_principal_action_prefix_decision_and_time()
    {
        using var database = SqliteDatabase.Open(Path.Combine(_directory, "cairn.db"), [SqliteAuditLog.Migrations]);
        await using var log = new SqliteAuditLog(database);
        var now = DateTimeOffset.UtcNow;
        log.Append(
        [
            Entry("arn:aws:iam::000000000000:root", "ssm:GetParameter", "Allow", now.AddHours(-3)),
            Entry("arn:aws:iam::000000000000:user/ci", "ssm:GetParameters", "Deny", now.AddMinutes(-5)),
            Entry("arn:aws:iam::000000000000:user/ci", "kms:Decrypt", "Allow", now.AddMinutes(-4)),
        ]);
        await log.FlushAsync(CancellationToken.None);

        Assert.Equal(2, (await log.QueryAsync(new AuditQuery(PrincipalContains: "user/ci"), default)).Count);
        Assert.Equal(2, (await log.QueryAsync(new AuditQuery(ActionPrefix: "SSM:get"), default)).Count);
        Assert.Single(await log.QueryAsync(new AuditQuery(Decision: "deny"), default));
        Assert.Equal(2, (await log.QueryAsync(new AuditQuery(Since: now.AddHours(-1)), default)).Count);
        Assert.Single(await log.QueryAsync(new AuditQuery(Limit: 1), default));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
