using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Npgsql;

namespace Cairn.Storage.Postgres.Identity;

/// <summary>
/// Console sign-in (login profiles as hashes only, password history, the account's password policy and alias) and STS
/// role sessions (kept until they expire; secret and token encrypted under the master key).
/// </summary>
public sealed partial class PostgresIdentityStore
{
    private const string ProfileSelect =
        "SELECT account_id, user_name, password_hash, password_reset_required, created_at, password_changed_at FROM cairn_identity.login_profiles";

    private const string SessionSecretPurpose = "sts-session-secret";
    private const string SessionTokenPurpose = "sts-session-token";

    public Task CreateLoginProfileAsync(LoginProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return WriteAsync(async s =>
        {
            if (!await UserExistsAsync(s, profile.AccountId, profile.UserName).ConfigureAwait(false))
            {
                throw AwsErrors.NoSuchUser(profile.UserName);
            }

            if (await HasLoginProfileAsync(s, profile.AccountId, profile.UserName).ConfigureAwait(false))
            {
                throw AwsErrors.LoginProfileExists(profile.UserName);
            }

            await s.ExecuteAsync(
                "INSERT INTO cairn_identity.login_profiles (account_id, user_name, password_hash, password_reset_required, created_at, password_changed_at) "
                + "VALUES ($1, $2, $3, $4, $5, $6)",
                profile.AccountId, await CanonicalNameAsync(s, profile.AccountId, IamEntityKind.User, profile.UserName).ConfigureAwait(false), profile.PasswordHash,
                profile.PasswordResetRequired, profile.CreateDate, profile.PasswordChangedAt).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<LoginProfile?> FindLoginProfileAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(ProfileSelect + " WHERE account_id = $1 AND user_name = $2", MapProfile, accountId, userName), cancellationToken);

    public Task UpdateLoginProfileAsync(
        string accountId, string userName, string? passwordHash, bool? passwordResetRequired, int historyKept, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            var current = await s.QuerySingleAsync(ProfileSelect + " WHERE account_id = $1 AND user_name = $2", MapProfile, accountId, userName).ConfigureAwait(false)
                ?? throw AwsErrors.NoSuchLoginProfile(userName);
            if (passwordHash is not null)
            {
                var seq = await CountAsync(s, "SELECT COALESCE(MAX(seq), 0) FROM cairn_identity.password_history WHERE account_id = $1 AND user_name = $2", accountId, userName)
                    .ConfigureAwait(false);
                await s.ExecuteAsync(
                    "INSERT INTO cairn_identity.password_history (account_id, user_name, seq, password_hash, replaced_at) VALUES ($1, $2, $3, $4, $5)",
                    accountId, current.UserName, seq + 1, current.PasswordHash, now).ConfigureAwait(false);
                await s.ExecuteAsync("DELETE FROM cairn_identity.password_history WHERE account_id = $1 AND user_name = $2 AND seq <= $3",
                    accountId, userName, seq + 1 - Math.Max(historyKept, 0)).ConfigureAwait(false);
                await s.ExecuteAsync("UPDATE cairn_identity.login_profiles SET password_hash = $1, password_changed_at = $2 WHERE account_id = $3 AND user_name = $4",
                    passwordHash, now, accountId, userName).ConfigureAwait(false);
            }

            if (passwordResetRequired is { } reset)
            {
                await s.ExecuteAsync("UPDATE cairn_identity.login_profiles SET password_reset_required = $1 WHERE account_id = $2 AND user_name = $3", reset, accountId, userName)
                    .ConfigureAwait(false);
            }
        }, cancellationToken);

    public Task DeleteLoginProfileAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            if (await s.ExecuteAsync("DELETE FROM cairn_identity.login_profiles WHERE account_id = $1 AND user_name = $2", accountId, userName).ConfigureAwait(false) == 0)
            {
                throw await UserExistsAsync(s, accountId, userName).ConfigureAwait(false) ? AwsErrors.NoSuchLoginProfile(userName) : AwsErrors.NoSuchUser(userName);
            }
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> ListPasswordHistoryAsync(string accountId, string userName, int count, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            "SELECT password_hash FROM cairn_identity.password_history WHERE account_id = $1 AND user_name = $2 ORDER BY seq DESC LIMIT $3",
            r => r.GetString(0), accountId, userName, (long)Math.Max(count, 0)), cancellationToken).ConfigureAwait(false);

    public Task<PasswordPolicy?> FindPasswordPolicyAsync(string accountId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(
            "SELECT minimum_length, require_symbols, require_numbers, require_uppercase, require_lowercase, allow_users_to_change, max_password_age, "
            + "password_reuse_prevention, hard_expiry FROM cairn_identity.password_policies WHERE account_id = $1",
            r => new PasswordPolicy(r.GetInt32(0), r.GetBoolean(1), r.GetBoolean(2), r.GetBoolean(3), r.GetBoolean(4), r.GetBoolean(5),
                r.IsDBNull(6) ? null : r.GetInt32(6), r.IsDBNull(7) ? null : r.GetInt32(7), r.GetBoolean(8)),
            accountId), cancellationToken);

    public Task PutPasswordPolicyAsync(string accountId, PasswordPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return WriteAsync(s => s.ExecuteAsync(
            "INSERT INTO cairn_identity.password_policies (account_id, minimum_length, require_symbols, require_numbers, require_uppercase, require_lowercase, "
            + "allow_users_to_change, max_password_age, password_reuse_prevention, hard_expiry) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
            + "ON CONFLICT (account_id) DO UPDATE SET minimum_length = EXCLUDED.minimum_length, require_symbols = EXCLUDED.require_symbols, "
            + "require_numbers = EXCLUDED.require_numbers, require_uppercase = EXCLUDED.require_uppercase, require_lowercase = EXCLUDED.require_lowercase, "
            + "allow_users_to_change = EXCLUDED.allow_users_to_change, max_password_age = EXCLUDED.max_password_age, "
            + "password_reuse_prevention = EXCLUDED.password_reuse_prevention, hard_expiry = EXCLUDED.hard_expiry",
            accountId, policy.MinimumPasswordLength, policy.RequireSymbols, policy.RequireNumbers, policy.RequireUppercaseCharacters,
            policy.RequireLowercaseCharacters, policy.AllowUsersToChangePassword, policy.MaxPasswordAge, policy.PasswordReusePrevention, policy.HardExpiry),
            cancellationToken);
    }

    public Task DeletePasswordPolicyAsync(string accountId, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            if (await s.ExecuteAsync("DELETE FROM cairn_identity.password_policies WHERE account_id = $1", accountId).ConfigureAwait(false) == 0)
            {
                throw AwsErrors.NoSuchPasswordPolicy(accountId);
            }
        }, cancellationToken);

    public Task<string?> FindAccountAliasAsync(string accountId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync("SELECT alias FROM cairn_identity.account_aliases WHERE account_id = $1", r => r.GetString(0), accountId), cancellationToken);

    public Task<string?> FindAccountByAliasAsync(string alias, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync("SELECT account_id FROM cairn_identity.account_aliases WHERE alias = $1", r => r.GetString(0), alias), cancellationToken);

    public Task SetAccountAliasAsync(string accountId, string alias, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            var owner = await s.QuerySingleAsync("SELECT account_id FROM cairn_identity.account_aliases WHERE alias = $1", r => r.GetString(0), alias).ConfigureAwait(false);
            if (owner is not null && owner != accountId)
            {
                throw AwsErrors.AccountAliasTaken(alias);
            }

            await s.ExecuteAsync(
                "INSERT INTO cairn_identity.account_aliases (account_id, alias) VALUES ($1, $2) ON CONFLICT (account_id) DO UPDATE SET alias = EXCLUDED.alias",
                accountId, alias).ConfigureAwait(false);
        }, cancellationToken);

    public Task DeleteAccountAliasAsync(string accountId, string alias, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            if (await s.ExecuteAsync("DELETE FROM cairn_identity.account_aliases WHERE account_id = $1 AND alias = $2", accountId, alias).ConfigureAwait(false) == 0)
            {
                throw AwsErrors.NoSuchAccountAlias(alias);
            }
        }, cancellationToken);

    public Task CreateSessionAsync(RoleSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return UnlockedWriteAsync(
            s => s.ExecuteAsync(
                "INSERT INTO cairn_identity.sessions (access_key_id, secret, session_token, account_id, role_name, role_arn, session_name, assumed_role_arn, assumed_role_id, "
                + "issued_at, expires_at, session_policy) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                session.AccessKeyId, masterKey.ProtectSecret(SessionSecretPurpose, session.AccessKeyId, session.SecretAccessKey),
                masterKey.ProtectSecret(SessionTokenPurpose, session.AccessKeyId, session.SessionToken), session.AccountId, session.RoleName, session.RoleArn,
                session.SessionName, session.AssumedRoleArn, session.AssumedRoleId, session.IssuedAt, session.Expiration, session.SessionPolicy),
            cancellationToken);
    }

    public Task<RoleSession?> FindSessionAsync(string accessKeyId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(
            "SELECT access_key_id, secret, session_token, account_id, role_name, role_arn, session_name, assumed_role_arn, assumed_role_id, issued_at, expires_at, "
            + "session_policy FROM cairn_identity.sessions WHERE access_key_id = $1",
            r => new RoleSession(r.GetString(0), masterKey.RevealSecret(SessionSecretPurpose, r.GetString(0), r.GetString(1)),
                masterKey.RevealSecret(SessionTokenPurpose, r.GetString(0), r.GetString(2)), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                r.GetString(7), r.GetString(8), Time(r, 9), Time(r, 10), StringOrNull(r, 11)),
            accessKeyId), cancellationToken);

    public Task<int> PurgeExpiredSessionsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        UnlockedWriteAsync(s => s.ExecuteAsync("DELETE FROM cairn_identity.sessions WHERE expires_at < $1", now), cancellationToken);

    private static LoginProfile MapProfile(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), Time(r, 4), Time(r, 5));

    private static async Task<bool> HasLoginProfileAsync(PostgresSession s, string accountId, string userName) =>
        await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.login_profiles WHERE account_id = $1 AND user_name = $2", accountId, userName).ConfigureAwait(false) > 0;
}
