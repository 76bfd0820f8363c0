using System.Diagnostics;
using System.Globalization;
using Cairn.Core.Audit;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Audit;

namespace Cairn.Bench.Audit;

/// <summary>
/// `audit [--sizes 100000,1000000,10000000] [--runs N]`: what reading the audit trail costs as it grows. For each size
/// a fresh SQLite audit log is filled by SQL (entries one per <c>90 days / size</c>, oldest first, as the server writes
/// them: 1,000 users, one in 50 entries denied, one in 10 a kms:Decrypt; one rare user with 10 entries spread over the
/// 90 days), then the median of N calls of each read through <see cref="SqliteAuditLog.QueryAsync"/>: the queries the
/// dashboard's audit page, `cairn audit` and the least-privilege suggestion make. Prints a markdown table with each
/// figure's ratio to the smallest size's (the growth factor).
/// </summary>
internal static class AuditQueryBench
{
    private const int Users = 1000;
    private const string User123 = "arn:aws:iam::000000000000:user/u0123";
    private static readonly TimeSpan Span = TimeSpan.FromDays(90);

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = Value(args, "--sizes", "100000,1000000,10000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var runs = int.Parse(Value(args, "--runs", "20"), CultureInfo.InvariantCulture);
        var results = new Dictionary<string, List<(int Size, double Ms, int Found)>>();
        var now = DateTimeOffset.UtcNow;
        foreach (var size in sizes)
        {
            var directory = Directory.CreateTempSubdirectory("cairn-bench-audit-").FullName;
            try
            {
                using var database = SqliteDatabase.Open(Path.Combine(directory, "cairn.db"), [SqliteAuditLog.Migrations]);
                var started = Stopwatch.GetTimestamp();
                await FillAsync(database, size, now);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{size:N0} audit entries stored in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s, {new FileInfo(Path.Combine(directory, "cairn.db")).Length / 1e6:F0} MB"));
                await using var log = new SqliteAuditLog(database);
                var middle = now - Span / 2;
                var scenarios = new (string Name, AuditQuery Query)[]
                {
                    ("newest 50, no filter (the audit page)", new AuditQuery(Limit: 51)),
                    ("newest 50 of one account", new AuditQuery(Limit: 51, AccountId: "000000000000")),
                    ("newest 50 denied", new AuditQuery(Decision: "Deny", Limit: 51)),
                    ("newest 50 kms:Decrypt", new AuditQuery(ActionPrefix: "kms:Decrypt", Limit: 51)),
                    ("newest 50 of one user (1 in 1,000 entries)", new AuditQuery(PrincipalContains: "/u0123", Limit: 51)),
                    ("a rare user's 10 entries", new AuditQuery(PrincipalContains: "/rare", Limit: 51)),
                    ("newest 50 of one user by ARN", new AuditQuery(PrincipalContains: User123, Limit: 51)),
                    ("a rare user's 10 entries by ARN", new AuditQuery(PrincipalContains: "arn:aws:iam::000000000000:user/rare", Limit: 51)),
                    ("the last hour, newest 50", new AuditQuery(Since: now.AddHours(-1), Until: now, Limit: 51)),
                    ("one hour 45 days ago, newest 50", new AuditQuery(Since: middle, Until: middle.AddHours(1), Limit: 51)),
                    ("page 201 (skip 10,000), no filter", new AuditQuery(Limit: 51, Skip: 10_000)),
                    ("least-privilege suggestion as it was: \"/u0123\", Allow, 30 days, all", new AuditQuery(PrincipalContains: "/u0123", Decision: "Allow", Since: now.AddDays(-30), Until: now, Limit: 1_000_000, AccountId: "000000000000")),
                    ("least-privilege suggestion: the user's ARN, Allow, 30 days, all", new AuditQuery(PrincipalContains: User123, Decision: "Allow", Since: now.AddDays(-30), Until: now, Limit: 1_000_000, AccountId: "000000000000")),
                };
                foreach (var (name, query) in scenarios)
                {
                    await log.QueryAsync(query, CancellationToken.None);
                    var times = new List<double>(runs);
                    var found = 0;
                    var budget = Stopwatch.StartNew();
                    for (var i = 0; i < runs && (i < 3 || budget.Elapsed < TimeSpan.FromSeconds(20)); i++)
                    {
                        var t0 = Stopwatch.GetTimestamp();
                        found = (await log.QueryAsync(query, CancellationToken.None)).Count;
                        times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                    }

                    times.Sort();
                    if (!results.TryGetValue(name, out var rows))
                    {
                        results[name] = rows = [];
                    }

                    rows.Add((size, times[times.Count / 2], found));
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {times[times.Count / 2]:F3} ms ({found} found, {times.Count} runs)"));
                }

                // What the server's writer pays per entry on a trail this size: 100,000 more entries through the log's own
                // batches, from 10 and then from 1,000 principals taking turns (each principal's run of the index is a
                // place an insert lands).
                foreach (var principals in new[] { 10, 1000 })
                {
                    var name = $"append 100,000 entries from {principals:N0} principals (entries/s)";
                    var t0 = Stopwatch.GetTimestamp();
                    for (var i = 0; i < 100_000; i++)
                    {
                        log.Append([new AuditEntry(now, "append", string.Create(CultureInfo.InvariantCulture, $"arn:aws:iam::000000000000:user/w{i % principals:0000}"),
                            null, "us-east-1", "GetParameter", "ssm:GetParameter", "arn:aws:ssm:us-east-1:000000000000:parameter/app/p1", "Allow", null, "127.0.0.1")]);
                    }

                    await log.FlushAsync(CancellationToken.None);
                    var perSecond = 100_000 / Stopwatch.GetElapsedTime(t0).TotalSeconds;
                    if (!results.TryGetValue(name, out var rows))
                    {
                        results[name] = rows = [];
                    }

                    rows.Add((size, perSecond, 100_000));
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name}: {perSecond:F0}"));
                }
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        Console.WriteLine("| read | entries | found | median ms | growth vs smallest |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (name, rows) in results)
        {
            foreach (var row in rows)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {row.Size:N0} | {row.Found} | {row.Ms:F3} | {row.Ms / rows[0].Ms:F2}x |"));
            }
        }

        return 0;
    }

    /// <summary>
    /// Entries oldest first, evenly over the 90 days before <paramref name="now"/>, by one recursive statement in one
    /// transaction (the server's own writer would take hours for 10 million).
    /// </summary>
    private static Task FillAsync(SqliteDatabase database, int size, DateTimeOffset now) => database.WriteAsync(connection =>
    {
        // The principal index (where the build has it) is built after the rows, by one sort: 1,000 principals taking turns
        // would otherwise make each of the millions of inserts land on a different page of it.
        var principalIndex = connection.Query("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'audit_log_principal'", row => row.GetString(0)).SingleOrDefault();
        if (principalIndex is not null)
        {
            connection.Execute("DROP INDEX audit_log_principal");
        }

        var start = (now - Span).ToUnixTimeMilliseconds();
        var step = Span.TotalMilliseconds / size;
        connection.Execute(
            """
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
            INSERT INTO audit_log (time, request_id, principal_arn, access_key_id, region, operation, action, resource, decision, error_code, source_ip)
            SELECT ?2 + CAST(i * ?3 AS INTEGER),
                   printf('req-%d', i),
                   CASE WHEN i % (?1 / 10) = 7 THEN 'arn:aws:iam::000000000000:user/rare'
                        ELSE printf('arn:aws:iam::000000000000:user/u%04d', (i * 7919) % ?4) END,
                   NULL,
                   'us-east-1',
                   CASE WHEN i % 10 = 3 THEN 'Decrypt' ELSE 'GetParameter' END,
                   CASE WHEN i % 10 = 3 THEN 'kms:Decrypt' ELSE 'ssm:GetParameter' END,
                   CASE WHEN i % 10 = 3 THEN 'arn:aws:kms:us-east-1:000000000000:key/bench'
                        ELSE printf('arn:aws:ssm:us-east-1:000000000000:parameter/app/p%d', i % 5000) END,
                   CASE WHEN i % 50 = 11 THEN 'Deny' ELSE 'Allow' END,
                   CASE WHEN i % 50 = 11 THEN 'AccessDeniedException' ELSE NULL END,
                   '127.0.0.1'
            FROM n
            """,
            size, start, step, Users);
        if (principalIndex is not null)
        {
            connection.Execute(principalIndex);
        }
    }, CancellationToken.None);

    private static string Value(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }
}
