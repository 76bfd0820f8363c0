using Cairn.Core.Identity.Iam;

namespace Cairn.Storage.Sqlite.Identity;

/// <summary>Credential reports: one row per account, the last generated.</summary>
public sealed partial class SqliteIdentityStore
{
    public Task<CredentialReport?> FindCredentialReportAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<CredentialReport?>(database.Read(c => c.QuerySingle(
            "SELECT account_id, generated_at, content FROM iam_credential_reports WHERE account_id = ?",
            r => new CredentialReport(r.GetString(0), Time(r, 1), r.GetString(2)), accountId)));

    // Not through WriteAsync: a report changes nothing the identity caches hold.
    public Task PutCredentialReportAsync(CredentialReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        return database.WriteAsync(
            c => c.Execute("INSERT OR REPLACE INTO iam_credential_reports (account_id, generated_at, content) VALUES (?, ?, ?)",
                report.AccountId, report.GeneratedAt, report.Content),
            cancellationToken);
    }
}
