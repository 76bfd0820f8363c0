using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Keys;
using Cairn.Storage.Changes;
using Cairn.Storage.Identity;
using Npgsql;

namespace Cairn.Storage.Postgres.Identity;

/// <summary>
/// IAM's and STS's state in PostgreSQL (schema <c>cairn_identity</c>, <see cref="IdentityMigrations"/>), the twin of
/// SqliteIdentityStore. Every checking write takes one advisory lock first, so IAM's invariants (names unique regardless
/// of case, quotas, delete conflicts) hold across servers as under SQLite's single writer; reads never wait. Secret access
/// keys and session credentials are stored encrypted under the master key. The change feed is the number the schema's
/// triggers move in every changing transaction, whichever server commits it, read at most once a second; this server's
/// own writes move it at once.
/// </summary>
public sealed partial class PostgresIdentityStore(PostgresDatabase database, MasterKey masterKey, TimeSpan? otherServersDelay = null)
    : IIdentityStore, IChangeFeed<IIdentityStore>
{
    private readonly PostgresGeneration _generation = new(database, "cairn_identity.generation", otherServersDelay);

    private const string UserSelect = "SELECT account_id, user_name, user_id, path, arn, created_at, permissions_boundary FROM cairn_identity.users";

    private const string KeySelect =
        "SELECT access_key_id, secret, account_id, user_name, status, created_at, last_used_at, last_used_service, last_used_region FROM cairn_identity.access_keys";

    private const string AccessKeyPurpose = "iam-access-key";

    /// <summary>This server's writes at once, other servers' within a second (<see cref="PostgresGeneration"/>), as SQLite's.</summary>
    public ValueTask<long> CurrentAsync(CancellationToken cancellationToken) => _generation.CurrentAsync(cancellationToken);

    public Task CreateUserAsync(IamUser user, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return WriteAsync(async s =>
        {
            if (await UserExistsAsync(s, user.AccountId, user.UserName).ConfigureAwait(false))
            {
                throw AwsErrors.UserExists(user.UserName);
            }

            await s.ExecuteAsync(
                "INSERT INTO cairn_identity.users (account_id, user_name, user_id, path, arn, created_at, permissions_boundary) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                user.AccountId, user.UserName, user.UserId, user.Path, user.Arn, user.CreateDate, user.PermissionsBoundary).ConfigureAwait(false);
            await InsertTagsAsync(s, user.AccountId, IamEntityKind.User, user.UserName, tags, int.MaxValue).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<IamUser?> FindUserAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(UserSelect + " WHERE account_id = $1 AND user_name = $2", MapUser, accountId, userName), cancellationToken);

    public async Task<IReadOnlyList<IamUser>> ListUsersAsync(string accountId, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(UserSelect + " WHERE account_id = $1 ORDER BY " + ByName("user_name"), MapUser, accountId), cancellationToken)
            .ConfigureAwait(false);

    public Task DeleteUserAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            if (!await UserExistsAsync(s, accountId, userName).ConfigureAwait(false))
            {
                throw AwsErrors.NoSuchUser(userName);
            }

            if (await HasLoginProfileAsync(s, accountId, userName).ConfigureAwait(false))
            {
                throw AwsErrors.MustDeleteLoginProfile();
            }

            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.access_keys WHERE account_id = $1 AND user_name = $2", accountId, userName).ConfigureAwait(false) > 0)
            {
                throw AwsErrors.MustDeleteAccessKeys();
            }

            await CheckNoPoliciesAsync(s, accountId, IamEntityKind.User, userName).ConfigureAwait(false);
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.group_members WHERE account_id = $1 AND user_name = $2", accountId, userName).ConfigureAwait(false) > 0)
            {
                throw AwsErrors.MustRemoveUserFromGroups();
            }

            await DeleteTagsAsync(s, accountId, IamEntityKind.User, userName).ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM cairn_identity.password_history WHERE account_id = $1 AND user_name = $2", accountId, userName).ConfigureAwait(false);
            await s.ExecuteAsync("DELETE FROM cairn_identity.users WHERE account_id = $1 AND user_name = $2", accountId, userName).ConfigureAwait(false);
        }, cancellationToken);

    public Task UpdateUserAsync(string accountId, string userName, string? newUserName, string? newPath, string newArn, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            if (!await UserExistsAsync(s, accountId, userName).ConfigureAwait(false))
            {
                throw AwsErrors.NoSuchUser(userName);
            }

            var renamed = newUserName is not null && !string.Equals(newUserName, userName, StringComparison.OrdinalIgnoreCase);
            if (renamed && await UserExistsAsync(s, accountId, newUserName!).ConfigureAwait(false))
            {
                throw AwsErrors.UserExists(newUserName!);
            }

            var name = newUserName ?? userName;
            await s.ExecuteAsync("UPDATE cairn_identity.users SET user_name = $1, path = COALESCE($2, path), arn = $3 WHERE account_id = $4 AND user_name = $5",
                name, newPath, newArn, accountId, userName).ConfigureAwait(false);
            if (newUserName is null)
            {
                return;
            }

            var kind = KindName(IamEntityKind.User);
            foreach (var table in new[] { "access_keys", "group_members", "login_profiles", "password_history" })
            {
                await s.ExecuteAsync($"UPDATE cairn_identity.{table} SET user_name = $1 WHERE account_id = $2 AND user_name = $3", name, accountId, userName)
                    .ConfigureAwait(false);
            }

            foreach (var table in new[] { "attachments", "inline_policies", "tags" })
            {
                await s.ExecuteAsync(
                    $"UPDATE cairn_identity.{table} SET entity_name = $1 WHERE account_id = $2 AND entity_kind = $3 AND entity_name = $4", name, accountId, kind, userName)
                    .ConfigureAwait(false);
            }
        }, cancellationToken);

    public Task CreateAccessKeyAsync(AccessKeyInfo key, int maxKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(async s =>
        {
            if (!await UserExistsAsync(s, key.AccountId, key.UserName).ConfigureAwait(false))
            {
                throw AwsErrors.NoSuchUser(key.UserName);
            }

            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.access_keys WHERE account_id = $1 AND user_name = $2", key.AccountId, key.UserName)
                    .ConfigureAwait(false) >= maxKeys)
            {
                throw AwsErrors.Quota("AccessKeysPerUser", maxKeys);
            }

            await s.ExecuteAsync(
                "INSERT INTO cairn_identity.access_keys (access_key_id, account_id, user_name, secret, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                key.AccessKeyId, key.AccountId, await CanonicalNameAsync(s, key.AccountId, IamEntityKind.User, key.UserName).ConfigureAwait(false),
                masterKey.ProtectSecret(AccessKeyPurpose, key.AccessKeyId, key.SecretAccessKey), key.Status, key.CreateDate).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<AccessKeyInfo?> FindAccessKeyAsync(string accessKeyId, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(KeySelect + " WHERE access_key_id = $1", MapKey, accessKeyId), cancellationToken);

    public async Task<IReadOnlyList<AccessKeyInfo>> ListAccessKeysAsync(string accountId, string userName, CancellationToken cancellationToken) =>
        await database.ReadAsync(
            s => s.QueryAsync(KeySelect + " WHERE account_id = $1 AND user_name = $2 ORDER BY created_at, access_key_id", MapKey, accountId, userName),
            cancellationToken).ConfigureAwait(false);

    public Task DeleteAccessKeyAsync(string accountId, string userName, string accessKeyId, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            if (await s.ExecuteAsync("DELETE FROM cairn_identity.access_keys WHERE account_id = $1 AND user_name = $2 AND access_key_id = $3", accountId, userName, accessKeyId)
                    .ConfigureAwait(false) == 0)
            {
                throw AwsErrors.NoSuchAccessKey(accessKeyId);
            }
        }, cancellationToken);

    public Task UpdateAccessKeyAsync(string accountId, string userName, string accessKeyId, string status, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            if (await s.ExecuteAsync(
                    "UPDATE cairn_identity.access_keys SET status = $1 WHERE account_id = $2 AND user_name = $3 AND access_key_id = $4", status, accountId, userName, accessKeyId)
                    .ConfigureAwait(false) == 0)
            {
                throw AwsErrors.NoSuchAccessKey(accessKeyId);
            }
        }, cancellationToken);

    private static IamUser MapUser(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5), StringOrNull(r, 6));

    private AccessKeyInfo MapKey(NpgsqlDataReader r) =>
        new(r.GetString(0), masterKey.RevealSecret(AccessKeyPurpose, r.GetString(0), r.GetString(1)), r.GetString(2), r.GetString(3), r.GetString(4), Time(r, 5),
            r.IsDBNull(6) ? null : Time(r, 6), StringOrNull(r, 7), StringOrNull(r, 8));

    private static async Task<bool> UserExistsAsync(PostgresSession s, string accountId, string userName) =>
        await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.users WHERE account_id = $1 AND user_name = $2", accountId, userName).ConfigureAwait(false) > 0;
}
