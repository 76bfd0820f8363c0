using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;

namespace Cairn.Storage.Sqlite.Identity;

/// <summary>Console sign-in: login profiles (hashes only), password history, the account's password policy and alias.</summary>
public sealed partial class SqliteIdentityStore
{
    private const string ProfileSelect =
        "SELECT account_id, user_name, password_hash, password_reset_required, created_at, password_changed_at FROM iam_login_profiles";

    public Task CreateLoginProfileAsync(LoginProfile profile, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (!UserExists(c, profile.AccountId, profile.UserName))
            {
                throw AwsErrors.NoSuchUser(profile.UserName);
            }

            if (HasLoginProfile(c, profile.AccountId, profile.UserName))
            {
                throw AwsErrors.LoginProfileExists(profile.UserName);
            }

            c.Execute(
                "INSERT INTO iam_login_profiles (account_id, user_name, password_hash, password_reset_required, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?)",
                profile.AccountId, CanonicalName(c, profile.AccountId, IamEntityKind.User, profile.UserName), profile.PasswordHash,
                profile.PasswordResetRequired, profile.CreateDate, profile.PasswordChangedAt);
        }, cancellationToken);

    public Task<LoginProfile?> FindLoginProfileAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        Task.FromResult<LoginProfile?>(database.Read(c => c.QuerySingle(ProfileSelect + " WHERE account_id = ? AND user_name = ?", MapProfile, accountId, userName)));

    public Task UpdateLoginProfileAsync(
        string accountId, string userName, string? passwordHash, bool? passwordResetRequired, int historyKept, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            var current = c.QuerySingle(ProfileSelect + " WHERE account_id = ? AND user_name = ?", MapProfile, accountId, userName)
                ?? throw AwsErrors.NoSuchLoginProfile(userName);
            if (passwordHash is not null)
            {
                var seq = Count(c, "SELECT COALESCE(MAX(seq), 0) FROM iam_password_history WHERE account_id = ? AND user_name = ?", accountId, userName);
                c.Execute("INSERT INTO iam_password_history (account_id, user_name, seq, password_hash, replaced_at) VALUES (?, ?, ?, ?, ?)",
                    accountId, current.UserName, seq + 1, current.PasswordHash, now);
                c.Execute("DELETE FROM iam_password_history WHERE account_id = ? AND user_name = ? AND seq <= ?", accountId, userName, seq + 1 - Math.Max(historyKept, 0));
                c.Execute("UPDATE iam_login_profiles SET password_hash = ?, password_changed_at = ? WHERE account_id = ? AND user_name = ?",
                    passwordHash, now, accountId, userName);
            }

            if (passwordResetRequired is { } reset)
            {
                c.Execute("UPDATE iam_login_profiles SET password_reset_required = ? WHERE account_id = ? AND user_name = ?", reset, accountId, userName);
            }
        }, cancellationToken);

    public Task DeleteLoginProfileAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (c.Execute("DELETE FROM iam_login_profiles WHERE account_id = ? AND user_name = ?", accountId, userName) == 0)
            {
                throw UserExists(c, accountId, userName) ? AwsErrors.NoSuchLoginProfile(userName) : AwsErrors.NoSuchUser(userName);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<string>> ListPasswordHistoryAsync(string accountId, string userName, int count, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(database.Read(c => c.Query(
            "SELECT password_hash FROM iam_password_history WHERE account_id = ? AND user_name = ? ORDER BY seq DESC LIMIT ?",
            r => r.GetString(0), accountId, userName, count)));

    public Task<PasswordPolicy?> FindPasswordPolicyAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<PasswordPolicy?>(database.Read(c => c.QuerySingle(
            "SELECT minimum_length, require_symbols, require_numbers, require_uppercase, require_lowercase, allow_users_to_change, max_password_age, "
            + "password_reuse_prevention, hard_expiry FROM iam_password_policies WHERE account_id = ?",
            r => new PasswordPolicy(r.GetInt32(0), r.GetBoolean(1), r.GetBoolean(2), r.GetBoolean(3), r.GetBoolean(4), r.GetBoolean(5),
                r.IsNull(6) ? null : r.GetInt32(6), r.IsNull(7) ? null : r.GetInt32(7), r.GetBoolean(8)),
            accountId)));

    public Task PutPasswordPolicyAsync(string accountId, PasswordPolicy policy, CancellationToken cancellationToken) =>
        WriteAsync(c => c.Execute(
            "INSERT OR REPLACE INTO iam_password_policies (account_id, minimum_length, require_symbols, require_numbers, require_uppercase, require_lowercase, "
            + "allow_users_to_change, max_password_age, password_reuse_prevention, hard_expiry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            accountId, policy.MinimumPasswordLength, policy.RequireSymbols, policy.RequireNumbers, policy.RequireUppercaseCharacters,
            policy.RequireLowercaseCharacters, policy.AllowUsersToChangePassword, policy.MaxPasswordAge, policy.PasswordReusePrevention, policy.HardExpiry),
            cancellationToken);

    public Task DeletePasswordPolicyAsync(string accountId, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (c.Execute("DELETE FROM iam_password_policies WHERE account_id = ?", accountId) == 0)
            {
                throw AwsErrors.NoSuchPasswordPolicy(accountId);
            }
        }, cancellationToken);

    public Task<string?> FindAccountAliasAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(c => c.QuerySingle("SELECT alias FROM iam_account_aliases WHERE account_id = ?", r => r.GetString(0), accountId)));

    public Task<string?> FindAccountByAliasAsync(string alias, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(c => c.QuerySingle("SELECT account_id FROM iam_account_aliases WHERE alias = ?", r => r.GetString(0), alias)));

    public Task SetAccountAliasAsync(string accountId, string alias, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            var owner = c.QuerySingle("SELECT account_id FROM iam_account_aliases WHERE alias = ?", r => r.GetString(0), alias);
            if (owner is not null && owner != accountId)
            {
                throw AwsErrors.AccountAliasTaken(alias);
            }

            c.Execute("INSERT OR REPLACE INTO iam_account_aliases (account_id, alias) VALUES (?, ?)", accountId, alias);
        }, cancellationToken);

    public Task DeleteAccountAliasAsync(string accountId, string alias, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (c.Execute("DELETE FROM iam_account_aliases WHERE account_id = ? AND alias = ?", accountId, alias) == 0)
            {
                throw AwsErrors.NoSuchAccountAlias(alias);
            }
        }, cancellationToken);

    private static LoginProfile MapProfile(SqliteRow r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetBoolean(3), Time(r, 4), Time(r, 5));

    private static bool HasLoginProfile(SqliteConnection c, string accountId, string userName) =>
        Count(c, "SELECT COUNT(*) FROM iam_login_profiles WHERE account_id = ? AND user_name = ?", accountId, userName) > 0;
}
