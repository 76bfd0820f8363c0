using Cairn.Core.Parameters.Naming;
using Cairn.Storage.Parameters;

namespace Cairn.Storage.Sqlite.Parameters;

/// <summary>Naming rules in the embedded database (migration set "naming").</summary>
public sealed class SqliteNamingRuleStore(SqliteDatabase database) : INamingRuleStore
{
    /// <summary>The "naming" module's schema steps. Never edit a shipped step; append one.</summary>
    public static MigrationSet Migrations { get; } = new("naming",
    [
        """
        CREATE TABLE ssm_naming_rules (
            account_id TEXT NOT NULL,
            path_prefix TEXT NOT NULL,
            pattern TEXT NOT NULL,
            mode TEXT NOT NULL,
            example TEXT,
            updated_at INTEGER NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (account_id, path_prefix)
        ) WITHOUT ROWID;
        """,
    ]);

    public Task PutAsync(NamingRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return database.WriteAsync(
            c => c.Execute(
                "INSERT INTO ssm_naming_rules (account_id, path_prefix, pattern, mode, example, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (account_id, path_prefix) DO UPDATE SET pattern = excluded.pattern, mode = excluded.mode, example = excluded.example,"
                + " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                rule.AccountId, rule.PathPrefix, rule.Pattern, rule.Mode.Text(), rule.Example, rule.Updated, rule.UpdatedBy),
            cancellationToken);
    }

    public Task<IReadOnlyList<NamingRule>> ListAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<NamingRule>>(database.Read(c => c.Query(
            "SELECT account_id, path_prefix, pattern, mode, example, updated_at, updated_by FROM ssm_naming_rules WHERE account_id = ? ORDER BY path_prefix",
            r => new NamingRule(
                r.GetString(0), r.GetString(1), r.GetString(2), NamingModes.Parse(r.GetString(3)) ?? NamingMode.Warn, r.GetStringOrNull(4),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), r.GetString(6)),
            accountId)));

    public Task<bool> DeleteAsync(string accountId, string pathPrefix, CancellationToken cancellationToken) =>
        database.WriteAsync(
            c => c.Execute("DELETE FROM ssm_naming_rules WHERE account_id = ? AND path_prefix = ?", accountId, pathPrefix) > 0,
            cancellationToken);
}
