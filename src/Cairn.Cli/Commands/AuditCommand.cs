using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Cairn.Core.Audit;
using Cairn.Storage.Postgres;
using Cairn.Storage.Postgres.Audit;
using Cairn.Storage.Sqlite;
using Cairn.Storage.Sqlite.Audit;

namespace Cairn.Cli.Commands;

/// <summary>
/// `cairn audit`: list who did what, newest first, from the data directory's audit log, or with --database (or
/// CAIRN_DATABASE, as `cairn serve` takes it) from the PostgreSQL database the servers share.
/// </summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Data directory of the server.", DefaultValueFactory = _ => ".cairn" };
        var database = new Option<string?>("--database")
        {
            Description = "The Npgsql connection string the servers were started with (cairn serve --database): read the audit log there instead of "
                + "the data directory's. Also CAIRN_DATABASE.",
        };
        var principal = new Option<string?>("--principal") { Description = "Only entries whose principal ARN contains this text." };
        var action = new Option<string?>("--action") { Description = "Only actions starting with this, e.g. ssm:Get or kms:Decrypt." };
        var decision = new Option<string?>("--decision") { Description = "Allow, Deny or None." };
        var since = new Option<string?>("--since") { Description = "Only newer entries: a duration (30m, 2h, 7d) or an ISO 8601 time." };
        var limit = new Option<int>("--limit") { Description = "At most this many entries.", DefaultValueFactory = _ => 100 };
        var format = new Option<string>("--format") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("audit", "List the audit log: every authenticated request, its principal, action, resource and decision (never a secret).")
        {
            data, database, principal, action, decision, since, limit, format,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            DateTimeOffset? from = null;
            if (result.GetValue(since) is { } text)
            {
                from = ParseSince(text);
                if (from is null)
                {
                    await Console.Error.WriteLineAsync($"cairn audit: --since '{text}' is neither a duration like 30m, 2h, 7d nor an ISO 8601 time like 2026-11-21T06:00:00Z.");
                    return 2;
                }
            }

            var query = new AuditQuery(result.GetValue(principal), result.GetValue(action), result.GetValue(decision), from, result.GetValue(limit));
            IReadOnlyList<AuditEntry> entries;
            var connectionString = result.GetValue(database) ?? Environment.GetEnvironmentVariable("CAIRN_DATABASE");
            if (!string.IsNullOrWhiteSpace(connectionString))
            {
                try
                {
                    entries = await QueryPostgresAsync(connectionString, query, cancellationToken);
                }
                catch (PostgresStorageException error)
                {
                    await Console.Error.WriteLineAsync($"cairn audit: {error.Message.ReplaceLineEndings(" ")}");
                    return 2;
                }
            }
            else
            {
                var file = Path.Combine(result.GetValue(data)!, "cairn.db");
                if (!File.Exists(file))
                {
                    await Console.Error.WriteLineAsync($"cairn audit: no database at {file}; start `cairn serve --data {result.GetValue(data)}` first.");
                    return 2;
                }

                using var sqlite = SqliteDatabase.Open(file, [SqliteAuditLog.Migrations]);
                await using var log = new SqliteAuditLog(sqlite);
                entries = await log.QueryAsync(query, cancellationToken);
            }

            if (result.GetValue(format) == "json")
            {
                Console.WriteLine(JsonSerializer.Serialize(entries, JsonOptions));
                return 0;
            }

            foreach (var e in entries)
            {
                Console.WriteLine(string.Join("  ",
                    e.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                    e.Decision.PadRight(5),
                    e.PrincipalArn,
                    e.Action,
                    e.Resource ?? "-",
                    e.ErrorCode ?? "OK",
                    e.SourceIp ?? "-",
                    e.RequestId));
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// The servers' audit log in PostgreSQL: opened only if a server has created it (nothing is created in a database no
    /// server used), its schema alone brought up to date as a server's start would.
    /// </summary>
    private static async Task<IReadOnlyList<AuditEntry>> QueryPostgresAsync(string connectionString, AuditQuery query, CancellationToken cancellationToken)
    {
        await using var database = await PostgresDatabase.OpenExistingAsync(connectionString, PostgresAuditLog.Migrations, cancellationToken);
        await using var log = new PostgresAuditLog(database);
        return await log.QueryAsync(query, cancellationToken);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    internal static DateTimeOffset? ParseSince(string text) => AuditTimes.Parse(text, DateTimeOffset.UtcNow);
}
