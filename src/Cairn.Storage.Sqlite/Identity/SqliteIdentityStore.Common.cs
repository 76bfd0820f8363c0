using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;

namespace Cairn.Storage.Sqlite.Identity;

/// <summary>Helpers shared by every family of identity operations.</summary>
public sealed partial class SqliteIdentityStore
{
    private async Task WriteAsync(Action<SqliteConnection> work, CancellationToken cancellationToken)
    {
        await database.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        _generation.Moved();
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> work, CancellationToken cancellationToken)
    {
        var result = await database.WriteAsync(work, cancellationToken).ConfigureAwait(false);
        _generation.Moved();
        return result;
    }

    private static long Count(SqliteConnection c, string sql, params object?[] args) => c.QuerySingle(sql, r => r.GetInt64(0), args);

    private static DateTimeOffset Time(SqliteRow row, int column) => DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(column));

    internal static string KindName(IamEntityKind kind) => kind switch
    {
        IamEntityKind.User => "user",
        IamEntityKind.Role => "role",
        IamEntityKind.Group => "group",
        IamEntityKind.OpenIdConnectProvider => "oidc-provider",
        IamEntityKind.InstanceProfile => "instance-profile",
        _ => "policy",
    };

    private static void CheckNoPolicies(SqliteConnection c, string accountId, IamEntityKind kind, string name)
    {
        var k = KindName(kind);
        if (Count(c, "SELECT COUNT(*) FROM iam_inline_policies WHERE account_id = ? AND entity_kind = ? AND entity_name = ?", accountId, k, name) > 0)
        {
            throw AwsErrors.MustDeletePolicies();
        }

        if (Count(c, "SELECT COUNT(*) FROM iam_attachments WHERE account_id = ? AND entity_kind = ? AND entity_name = ?", accountId, k, name) > 0)
        {
            throw AwsErrors.MustDetachPolicies();
        }
    }

    /// <summary>Throws NoSuchEntity unless the user, role or group exists.</summary>
    private static void RequireEntity(SqliteConnection c, string accountId, IamEntityKind kind, string name)
    {
        var (table, column, error) = kind switch
        {
            IamEntityKind.User => ("iam_users", "user_name", AwsErrors.NoSuchUser(name)),
            IamEntityKind.Role => ("iam_roles", "role_name", AwsErrors.NoSuchRole(name)),
            IamEntityKind.Group => ("iam_groups", "group_name", AwsErrors.NoSuchGroup(name)),
            IamEntityKind.OpenIdConnectProvider => ("iam_oidc_providers", "arn", AwsErrors.NoSuchOidcProvider(name)),
            IamEntityKind.InstanceProfile => ("iam_instance_profiles", "instance_profile_name", AwsErrors.NoSuchInstanceProfile(name)),
            _ => ("iam_policies", "arn", AwsErrors.NoSuchPolicy(name)),
        };
        if (Count(c, $"SELECT COUNT(*) FROM {table} WHERE account_id = ? AND {column} = ?", accountId, name) == 0)
        {
            throw error;
        }
    }

    private static void InsertTags(SqliteConnection c, string accountId, IamEntityKind kind, string name, IReadOnlyList<IamTag> tags, int maxTags)
    {
        var k = KindName(kind);
        var seq = Count(c, "SELECT COALESCE(MAX(seq), 0) FROM iam_tags WHERE account_id = ? AND entity_kind = ? AND entity_name = ?", accountId, k, name);
        foreach (var tag in tags)
        {
            var updated = c.Execute(
                "UPDATE iam_tags SET tag_key = ?, tag_value = ? WHERE account_id = ? AND entity_kind = ? AND entity_name = ? AND tag_key = ?",
                tag.Key, tag.Value, accountId, k, name, tag.Key);
            if (updated == 0)
            {
                c.Execute(
                    "INSERT INTO iam_tags (account_id, entity_kind, entity_name, tag_key, tag_value, seq) VALUES (?, ?, ?, ?, ?, ?)",
                    accountId, k, name, tag.Key, tag.Value, ++seq);
            }
        }

        if (Count(c, "SELECT COUNT(*) FROM iam_tags WHERE account_id = ? AND entity_kind = ? AND entity_name = ?", accountId, k, name) > maxTags)
        {
            throw AwsErrors.LimitExceeded($"The number of tags has reached the maximum limit of {maxTags}.");
        }
    }

    private static void DeleteTags(SqliteConnection c, string accountId, IamEntityKind kind, string name) =>
        c.Execute("DELETE FROM iam_tags WHERE account_id = ? AND entity_kind = ? AND entity_name = ?", accountId, KindName(kind), name);

    public Task TagAsync(string accountId, IamEntityKind kind, string entityName, IReadOnlyList<IamTag> tags, int maxTags, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, kind, entityName);
            InsertTags(c, accountId, kind, entityName, tags, maxTags);
        }, cancellationToken);

    public Task UntagAsync(string accountId, IamEntityKind kind, string entityName, IReadOnlyList<string> keys, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            RequireEntity(c, accountId, kind, entityName);
            foreach (var key in keys)
            {
                c.Execute(
                    "DELETE FROM iam_tags WHERE account_id = ? AND entity_kind = ? AND entity_name = ? AND tag_key = ?",
                    accountId, KindName(kind), entityName, key);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<IamTag>> ListTagsAsync(string accountId, IamEntityKind kind, string entityName, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<IamTag>>(database.Read(c => c.Query(
            "SELECT tag_key, tag_value FROM iam_tags WHERE account_id = ? AND entity_kind = ? AND entity_name = ? ORDER BY seq",
            r => new IamTag(r.GetString(0), r.GetString(1)), accountId, KindName(kind), entityName)));
}
