using Cairn.Core.Parameters.Naming;
using Cairn.Storage.Parameters;

namespace Cairn.Storage.Postgres.Parameters;

/// <summary>Naming rules in PostgreSQL (schema <c>cairn_naming</c>), the twin of SqliteNamingRuleStore.</summary>
public sealed class PostgresNamingRuleStore(PostgresDatabase database) : INamingRuleStore
{
    /// <summary>The "naming" store's schema steps. Never edit a shipped step; append one.</summary>
    public static PostgresMigrationSet Migrations { get; } = new("naming",
    [
        """
        CREATE SCHEMA cairn_naming;
        CREATE TABLE cairn_naming.rules (
            account_id text COLLATE "C" NOT NULL,
            path_prefix text COLLATE "C" NOT NULL,
            pattern text NOT NULL,
            mode text NOT NULL,
            example text,
            updated_at bigint NOT NULL,
            updated_by text NOT NULL,
            PRIMARY KEY (account_id, path_prefix));
        """,
    ]);

    public Task PutAsync(NamingRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return database.WriteAsync(
            s => s.ExecuteAsync(
                "INSERT INTO cairn_naming.rules (account_id, path_prefix, pattern, mode, example, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                + " ON CONFLICT (account_id, path_prefix) DO UPDATE SET pattern = EXCLUDED.pattern, mode = EXCLUDED.mode, example = EXCLUDED.example,"
                + " updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by",
                rule.AccountId, rule.PathPrefix, rule.Pattern, rule.Mode.Text(), rule.Example, rule.Updated, rule.UpdatedBy),
            cancellationToken);
    }

    public async Task<IReadOnlyList<NamingRule>> ListAsync(string accountId, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            "SELECT account_id, path_prefix, pattern, mode, example, updated_at, updated_by FROM cairn_naming.rules WHERE account_id = $1 ORDER BY path_prefix",
            r => new NamingRule(
                r.GetString(0), r.GetString(1), r.GetString(2), NamingModes.Parse(r.GetString(3)) ?? NamingMode.Warn, r.IsDBNull(4) ? null : r.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), r.GetString(6)),
            accountId), cancellationToken).ConfigureAwait(false);

    public Task<bool> DeleteAsync(string accountId, string pathPrefix, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async s => await s.ExecuteAsync("DELETE FROM cairn_naming.rules WHERE account_id = $1 AND path_prefix = $2", accountId, pathPrefix).ConfigureAwait(false) > 0,
            cancellationToken);
}
