using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Keys;
using Cairn.Storage.Changes;
using Cairn.Storage.Identity;

namespace Cairn.Storage.Sqlite.Identity;

/// <summary>IIdentityStore on the embedded SQLite database; every write is one transaction on the single writer.</summary>
/// <remarks>
/// Secret access keys, session secrets and session tokens are stored encrypted under the master key, never in plaintext.
/// Its change feed moves on every write this process commits, and within a second (by default) of a write by any other
/// process sharing the database: IAM is eventually consistent on AWS too.
/// </remarks>
public sealed partial class SqliteIdentityStore(SqliteDatabase database, MasterKey masterKey, TimeSpan? otherProcessesDelay = null)
    : IIdentityStore, IChangeFeed<IIdentityStore>
{
    private readonly SharedGeneration _generation = new(database, "iam_generation", otherProcessesDelay);

    public ValueTask<long> CurrentAsync(CancellationToken cancellationToken) => _generation.CurrentAsync(cancellationToken);

    public Task CreateUserAsync(IamUser user, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (UserExists(c, user.AccountId, user.UserName))
            {
                throw AwsErrors.UserExists(user.UserName);
            }

            c.Execute(
                "INSERT INTO iam_users (account_id, user_name, user_id, path, arn, created_at, permissions_boundary) VALUES (?, ?, ?, ?, ?, ?, ?)",
                user.AccountId, user.UserName, user.UserId, user.Path, user.Arn, user.CreateDate, user.PermissionsBoundary);
            InsertTags(c, user.AccountId, IamEntityKind.User, user.UserName, tags, int.MaxValue);
        }, cancellationToken);

    public Task<IamUser?> FindUserAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        Task.FromResult<IamUser?>(database.Read(c => c.QuerySingle(UserSelect + " WHERE account_id = ? AND user_name = ?", MapUser, accountId, userName)));

    public Task<IReadOnlyList<IamUser>> ListUsersAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IamUser>>(database.Read(c => c.Query(UserSelect + " WHERE account_id = ? ORDER BY user_name", MapUser, accountId)));

    public Task DeleteUserAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (!UserExists(c, accountId, userName))
            {
                throw AwsErrors.NoSuchUser(userName);
            }

            if (HasLoginProfile(c, accountId, userName))
            {
                throw AwsErrors.MustDeleteLoginProfile();
            }

            if (Count(c, "SELECT COUNT(*) FROM iam_access_keys WHERE account_id = ? AND user_name = ?", accountId, userName) > 0)
            {
                throw AwsErrors.MustDeleteAccessKeys();
            }

            CheckNoPolicies(c, accountId, IamEntityKind.User, userName);
            if (Count(c, "SELECT COUNT(*) FROM iam_group_members WHERE account_id = ? AND user_name = ?", accountId, userName) > 0)
            {
                throw AwsErrors.MustRemoveUserFromGroups();
            }

            DeleteTags(c, accountId, IamEntityKind.User, userName);
            c.Execute("DELETE FROM iam_password_history WHERE account_id = ? AND user_name = ?", accountId, userName);
            c.Execute("DELETE FROM iam_users WHERE account_id = ? AND user_name = ?", accountId, userName);
        }, cancellationToken);

    public Task UpdateUserAsync(string accountId, string userName, string? newUserName, string? newPath, string newArn, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (!UserExists(c, accountId, userName))
            {
                throw AwsErrors.NoSuchUser(userName);
            }

            var renamed = newUserName is not null && !string.Equals(newUserName, userName, StringComparison.OrdinalIgnoreCase);
            if (renamed && UserExists(c, accountId, newUserName!))
            {
                throw AwsErrors.UserExists(newUserName!);
            }

            var name = newUserName ?? userName;
            c.Execute("UPDATE iam_users SET user_name = ?, path = COALESCE(?, path), arn = ? WHERE account_id = ? AND user_name = ?",
                name, newPath, newArn, accountId, userName);
            if (newUserName is null)
            {
                return;
            }

            var kind = KindName(IamEntityKind.User);
            c.Execute("UPDATE iam_access_keys SET user_name = ? WHERE account_id = ? AND user_name = ?", name, accountId, userName);
            c.Execute("UPDATE iam_group_members SET user_name = ? WHERE account_id = ? AND user_name = ?", name, accountId, userName);
            c.Execute("UPDATE iam_login_profiles SET user_name = ? WHERE account_id = ? AND user_name = ?", name, accountId, userName);
            c.Execute("UPDATE iam_password_history SET user_name = ? WHERE account_id = ? AND user_name = ?", name, accountId, userName);
            c.Execute("UPDATE iam_attachments SET entity_name = ? WHERE account_id = ? AND entity_kind = ? AND entity_name = ?", name, accountId, kind, userName);
            c.Execute("UPDATE iam_inline_policies SET entity_name = ? WHERE account_id = ? AND entity_kind = ? AND entity_name = ?", name, accountId, kind, userName);
            c.Execute("UPDATE iam_tags SET entity_name = ? WHERE account_id = ? AND entity_kind = ? AND entity_name = ?", name, accountId, kind, userName);
        }, cancellationToken);

    public Task CreateAccessKeyAsync(AccessKeyInfo key, int maxKeys, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (!UserExists(c, key.AccountId, key.UserName))
            {
                throw AwsErrors.NoSuchUser(key.UserName);
            }

            if (Count(c, "SELECT COUNT(*) FROM iam_access_keys WHERE account_id = ? AND user_name = ?", key.AccountId, key.UserName) >= maxKeys)
            {
                throw AwsErrors.Quota("AccessKeysPerUser", maxKeys);
            }

            c.Execute(
                "INSERT INTO iam_access_keys (access_key_id, account_id, user_name, secret, status, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                key.AccessKeyId, key.AccountId, CanonicalName(c, key.AccountId, IamEntityKind.User, key.UserName),
                masterKey.ProtectSecret(AccessKeyPurpose, key.AccessKeyId, key.SecretAccessKey), key.Status, key.CreateDate);
        }, cancellationToken);

    public Task<AccessKeyInfo?> FindAccessKeyAsync(string accessKeyId, CancellationToken cancellationToken) =>
        Task.FromResult<AccessKeyInfo?>(database.Read(c => c.QuerySingle(KeySelect + " WHERE access_key_id = ?", MapKey, accessKeyId)));

    public Task<IReadOnlyList<AccessKeyInfo>> ListAccessKeysAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AccessKeyInfo>>(database.Read(c => c.Query(KeySelect + " WHERE account_id = ? AND user_name = ? ORDER BY created_at, access_key_id", MapKey, accountId, userName)));

    public Task DeleteAccessKeyAsync(string accountId, string userName, string accessKeyId, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (c.Execute("DELETE FROM iam_access_keys WHERE account_id = ? AND user_name = ? AND access_key_id = ?", accountId, userName, accessKeyId) == 0)
            {
                throw AwsErrors.NoSuchAccessKey(accessKeyId);
            }
        }, cancellationToken);

    public Task UpdateAccessKeyAsync(string accountId, string userName, string accessKeyId, string status, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            if (c.Execute("UPDATE iam_access_keys SET status = ? WHERE account_id = ? AND user_name = ? AND access_key_id = ?", status, accountId, userName, accessKeyId) == 0)
            {
                throw AwsErrors.NoSuchAccessKey(accessKeyId);
            }
        }, cancellationToken);

    private const string UserSelect = "SELECT account_id, user_name, user_id, path, arn, created_at, permissions_boundary FROM iam_users";

    private const string KeySelect =
        "SELECT access_key_id, secret, account_id, user_name, status, created_at, last_used_at, last_used_service, last_used_region FROM iam_access_keys";

    private static IamUser MapUser(SqliteRow r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5), r.GetStringOrNull(6));

    private const string AccessKeyPurpose = "iam-access-key";

    private AccessKeyInfo MapKey(SqliteRow r) =>
        new(r.GetString(0), masterKey.RevealSecret(AccessKeyPurpose, r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5),
            r.IsNull(6) ? null : Time(r, 6), r.GetStringOrNull(7), r.GetStringOrNull(8));

    private static bool UserExists(SqliteConnection c, string accountId, string userName) =>
        Count(c, "SELECT COUNT(*) FROM iam_users WHERE account_id = ? AND user_name = ?", accountId, userName) > 0;
}
