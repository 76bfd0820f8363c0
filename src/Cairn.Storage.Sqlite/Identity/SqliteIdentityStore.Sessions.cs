using Cairn.Core.Identity.Iam;

namespace Cairn.Storage.Sqlite.Identity;

/// <summary>STS role sessions: kept until they expire, so temporary credentials survive a restart.</summary>
public sealed partial class SqliteIdentityStore
{
    private const string SessionSecretPurpose = "sts-session-secret";
    private const string SessionTokenPurpose = "sts-session-token";

    public Task CreateSessionAsync(RoleSession session, CancellationToken cancellationToken) =>
        database.WriteAsync(
            c => c.Execute(
                "INSERT INTO sts_sessions (access_key_id, secret, session_token, account_id, role_name, role_arn, session_name, assumed_role_arn, assumed_role_id, issued_at, expires_at, session_policy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                session.AccessKeyId, masterKey.ProtectSecret(SessionSecretPurpose, session.AccessKeyId, session.SecretAccessKey),
                masterKey.ProtectSecret(SessionTokenPurpose, session.AccessKeyId, session.SessionToken), session.AccountId, session.RoleName, session.RoleArn,
                session.SessionName, session.AssumedRoleArn, session.AssumedRoleId, session.IssuedAt, session.Expiration, session.SessionPolicy),
            cancellationToken);

    public Task<RoleSession?> FindSessionAsync(string accessKeyId, CancellationToken cancellationToken) =>
        Task.FromResult<RoleSession?>(database.Read(c => c.QuerySingle(
            "SELECT access_key_id, secret, session_token, account_id, role_name, role_arn, session_name, assumed_role_arn, assumed_role_id, issued_at, expires_at, session_policy FROM sts_sessions WHERE access_key_id = ?",
            r => new RoleSession(r.GetString(0), masterKey.RevealSecret(SessionSecretPurpose, r.GetString(0), r.GetString(1)),
                masterKey.RevealSecret(SessionTokenPurpose, r.GetString(0), r.GetString(2)), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                r.GetString(7), r.GetString(8), Time(r, 9), Time(r, 10), r.GetStringOrNull(11)),
            accessKeyId)));

    public Task<int> PurgeExpiredSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(c => c.Execute("DELETE FROM sts_sessions WHERE expires_at < ?", now), cancellationToken);
}
