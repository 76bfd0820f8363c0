using Cairn.Core.Audit;
using Cairn.Server.Audit;
using Cairn.Server.Hosting;
using Cairn.Server.Tests.Ssm;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Audit;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Server.Tests.Audit;

public sealed class AuditRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-retention-").FullName;

    private static AuditEntry Entry(int daysAgo) => new(Now.AddDays(-daysAgo), Guid.NewGuid().ToString(), "arn:aws:iam::000000000000:root",
        "AKIAEXAMPLE", "us-east-1", "ssm:GetParameter", "ssm:GetParameter", null, "Allow", null, "127.0.0.1");

    private async Task<(long Deleted, IReadOnlyList<AuditEntry> Left)> SweepAsync(TimeSpan retention, int entries)
    {
        using var database = SqliteDatabase.Open(Path.Combine(_directory, $"cairn-{retention.TotalDays}.db"), [SqliteAuditLog.Migrations]);
        await using var log = new SqliteAuditLog(database);
        log.Append(Enumerable.Range(0, entries).Select(i => Entry(daysAgo: i % 200)));
        await log.FlushAsync(CancellationToken.None);

        using var sweeper = new AuditRetentionSweeper(log, new CairnServerOptions { AuditRetention = retention }, new ManualTimeProvider(Now),
            NullLogger<AuditRetentionSweeper>.Instance);
        var deleted = await sweeper.SweepOnceAsync(CancellationToken.None);
        return (deleted, await log.QueryAsync(new AuditQuery(Limit: 100_000), CancellationToken.None));
    }

    [Fact]
    public async Task Entries_past_the_retention_are_deleted_in_batches_and_the_rest_kept()
    {
        // 12,000 entries spread over 200 days (60 a day): 90-day retention keeps days 0-90 (exactly 90 days old is not older).
        var (deleted, left) = await SweepAsync(TimeSpan.FromDays(90), 12_000);

        Assert.Equal(12_000 - left.Count, deleted);
        Assert.True(deleted > 5_000, $"only {deleted} deleted: the sweep must go on past one batch");
        Assert.All(left, e => Assert.True(e.Time >= Now.AddDays(-90)));
        Assert.Equal(91 * 60, left.Count);
    }

    [Fact]
    public async Task A_retention_of_zero_keeps_everything()
    {
        var (deleted, left) = await SweepAsync(TimeSpan.Zero, 300);

        Assert.Equal(0, deleted);
        Assert.Equal(300, left.Count);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
