using Cairn.Core.Identity.Iam;

namespace Cairn.Storage.Postgres.Identity;

/// <summary>Credential reports: one row per account, the last generated.</summary>
public sealed partial class PostgresIdentityStore
{
    public Task<CredentialReport?> FindCredentialReportAsync(string accountId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(
            "SELECT account_id, generated_at, content FROM cairn_identity.credential_reports WHERE account_id = $1",
            r => new CredentialReport(r.GetString(0), Time(r, 1), r.GetString(2)), accountId), cancellationToken);

    public Task PutCredentialReportAsync(CredentialReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        return UnlockedWriteAsync(
            s => s.ExecuteAsync(
                "INSERT INTO cairn_identity.credential_reports (account_id, generated_at, content) VALUES ($1, $2, $3) "
                + "ON CONFLICT (account_id) DO UPDATE SET generated_at = EXCLUDED.generated_at, content = EXCLUDED.content",
                report.AccountId, report.GeneratedAt, report.Content),
            cancellationToken);
    }
}
