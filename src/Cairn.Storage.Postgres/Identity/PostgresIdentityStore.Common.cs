using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Npgsql;

namespace Cairn.Storage.Postgres.Identity;

/// <summary>Helpers shared by every family of identity operations, and tags.</summary>
public sealed partial class PostgresIdentityStore
{
    /// <summary>
    /// One transaction after the identity store's advisory lock: checking writes run one at a time across servers, as on
    /// SQLite's single writer (IAM writes are rare; reads never take it).
    /// </summary>
    private Task WriteAsync(Func<PostgresSession, Task> work, CancellationToken cancellationToken) =>
        UnlockedWriteAsync(async s =>
        {
            await LockAsync(s).ConfigureAwait(false);
            await work(s).ConfigureAwait(false);
        }, cancellationToken);

    private Task<T> WriteAsync<T>(Func<PostgresSession, Task<T>> work, CancellationToken cancellationToken) =>
        UnlockedWriteAsync(async s =>
        {
            await LockAsync(s).ConfigureAwait(false);
            return await work(s).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>One transaction without the lock; once it commits, this server's change number moves.</summary>
    private async Task UnlockedWriteAsync(Func<PostgresSession, Task> work, CancellationToken cancellationToken)
    {
        await database.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        _generation.Moved();
    }

    private async Task<T> UnlockedWriteAsync<T>(Func<PostgresSession, Task<T>> work, CancellationToken cancellationToken)
    {
        var result = await database.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        _generation.Moved();
        return result;
    }

    private static Task LockAsync(PostgresSession s) =>
        s.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended('cairn_identity', 0))");

    /// <summary>SQLite's NOCASE order: by the lower-cased name, ordinal.</summary>
    private static string ByName(string column) => $"lower({column}) COLLATE \"C\"";

    private static async Task<long> CountAsync(PostgresSession s, string sql, params object?[] args) =>
        await s.QuerySingleAsync(sql, r => r.GetInt64(0), args).ConfigureAwait(false);

    private static DateTimeOffset Time(NpgsqlDataReader row, int column) => DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(column));

    private static string? StringOrNull(NpgsqlDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);

    private static string KindName(IamEntityKind kind) => kind switch
    {
        IamEntityKind.User => "user",
        IamEntityKind.Role => "role",
        IamEntityKind.Group => "group",
        IamEntityKind.OpenIdConnectProvider => "oidc-provider",
        IamEntityKind.InstanceProfile => "instance-profile",
        _ => "policy",
    };

    private static IamEntityKind ParseKind(string kind) => kind switch
    {
        "user" => IamEntityKind.User,
        "role" => IamEntityKind.Role,
        "group" => IamEntityKind.Group,
        "oidc-provider" => IamEntityKind.OpenIdConnectProvider,
        "instance-profile" => IamEntityKind.InstanceProfile,
        _ => IamEntityKind.Policy,
    };

    private static async Task CheckNoPoliciesAsync(PostgresSession s, string accountId, IamEntityKind kind, string name)
    {
        var k = KindName(kind);
        if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.inline_policies WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3", accountId, k, name)
                .ConfigureAwait(false) > 0)
        {
            throw AwsErrors.MustDeletePolicies();
        }

        if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.attachments WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3", accountId, k, name)
                .ConfigureAwait(false) > 0)
        {
            throw AwsErrors.MustDetachPolicies();
        }
    }

    private static (string Table, string Column) EntityTable(IamEntityKind kind) => kind switch
    {
        IamEntityKind.User => ("cairn_identity.users", "user_name"),
        IamEntityKind.Role => ("cairn_identity.roles", "role_name"),
        IamEntityKind.Group => ("cairn_identity.groups", "group_name"),
        IamEntityKind.OpenIdConnectProvider => ("cairn_identity.oidc_providers", "arn"),
        IamEntityKind.InstanceProfile => ("cairn_identity.instance_profiles", "instance_profile_name"),
        _ => ("cairn_identity.policies", "arn"),
    };

    /// <summary>Throws NoSuchEntity unless the user, role, group or policy exists.</summary>
    private static async Task RequireEntityAsync(PostgresSession s, string accountId, IamEntityKind kind, string name)
    {
        var (table, column) = EntityTable(kind);
        if (await CountAsync(s, $"SELECT COUNT(*) FROM {table} WHERE account_id = $1 AND {column} = $2", accountId, name).ConfigureAwait(false) == 0)
        {
            throw kind switch
            {
                IamEntityKind.User => AwsErrors.NoSuchUser(name),
                IamEntityKind.Role => AwsErrors.NoSuchRole(name),
                IamEntityKind.Group => AwsErrors.NoSuchGroup(name),
                IamEntityKind.OpenIdConnectProvider => AwsErrors.NoSuchOidcProvider(name),
                IamEntityKind.InstanceProfile => AwsErrors.NoSuchInstanceProfile(name),
                _ => AwsErrors.NoSuchPolicy(name),
            };
        }
    }

    /// <summary>The entity's name as created; lookups ignore case but references keep the original spelling.</summary>
    private static async Task<string> CanonicalNameAsync(PostgresSession s, string accountId, IamEntityKind kind, string name)
    {
        var (table, column) = EntityTable(kind);
        return await s.QuerySingleAsync($"SELECT {column} FROM {table} WHERE account_id = $1 AND {column} = $2", r => r.GetString(0), accountId, name)
            .ConfigureAwait(false) ?? name;
    }

    private static async Task InsertTagsAsync(PostgresSession s, string accountId, IamEntityKind kind, string name, IReadOnlyList<IamTag> tags, int maxTags)
    {
        var k = KindName(kind);
        var seq = await CountAsync(s, "SELECT COALESCE(MAX(seq), 0) FROM cairn_identity.tags WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3", accountId, k, name)
            .ConfigureAwait(false);
        foreach (var tag in tags)
        {
            var updated = await s.ExecuteAsync(
                "UPDATE cairn_identity.tags SET tag_key = $1, tag_value = $2 WHERE account_id = $3 AND entity_kind = $4 AND entity_name = $5 AND tag_key = $6",
                tag.Key, tag.Value, accountId, k, name, tag.Key).ConfigureAwait(false);
            if (updated == 0)
            {
                await s.ExecuteAsync(
                    "INSERT INTO cairn_identity.tags (account_id, entity_kind, entity_name, tag_key, tag_value, seq) VALUES ($1, $2, $3, $4, $5, $6)",
                    accountId, k, name, tag.Key, tag.Value, ++seq).ConfigureAwait(false);
            }
        }

        if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.tags WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3", accountId, k, name)
                .ConfigureAwait(false) > maxTags)
        {
            throw AwsErrors.LimitExceeded($"The number of tags has reached the maximum limit of {maxTags}.");
        }
    }

    private static Task DeleteTagsAsync(PostgresSession s, string accountId, IamEntityKind kind, string name) =>
        s.ExecuteAsync("DELETE FROM cairn_identity.tags WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3", accountId, KindName(kind), name);

    public Task TagAsync(string accountId, IamEntityKind kind, string entityName, IReadOnlyList<IamTag> tags, int maxTags, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, kind, entityName).ConfigureAwait(false);
            await InsertTagsAsync(s, accountId, kind, entityName, tags, maxTags).ConfigureAwait(false);
        }, cancellationToken);

    public Task UntagAsync(string accountId, IamEntityKind kind, string entityName, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return WriteAsync(async s =>
        {
            await RequireEntityAsync(s, accountId, kind, entityName).ConfigureAwait(false);
            foreach (var key in keys)
            {
                await s.ExecuteAsync(
                    "DELETE FROM cairn_identity.tags WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3 AND tag_key = $4",
                    accountId, KindName(kind), entityName, key).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<IamTag>> ListTagsAsync(string accountId, IamEntityKind kind, string entityName, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(
            "SELECT tag_key, tag_value FROM cairn_identity.tags WHERE account_id = $1 AND entity_kind = $2 AND entity_name = $3 ORDER BY seq",
            r => new IamTag(r.GetString(0), r.GetString(1)), accountId, KindName(kind), entityName), cancellationToken).ConfigureAwait(false);
}
