using Cairn.Storage.Secrets;
using Npgsql;

namespace Cairn.Storage.Postgres.Secrets;

/// <summary>
/// Secrets and their versions in PostgreSQL (schema <c>cairn_secrets</c>, <see cref="SecretMigrations"/>); values stay the
/// ciphertext they arrive as. An update reads the secret <c>FOR UPDATE</c>, so two servers' changes to one secret apply in turn.
/// </summary>
public sealed class PostgresSecretStore(PostgresDatabase database) : ISecretStore
{
    private const string Columns = "account_id, region, name, arn, description, kms_key_id, created_at, last_changed, last_accessed, deleted_date, deletion_date, tags, resource_policy, primary_region, replicas, rotation";
    private const string VersionColumns = "version_id, stages, created_at, ciphertext, is_binary, key_arn, last_accessed";
    private const string Key = "account_id = $1 AND region = $2 AND name = $3";

    public Task<bool> CreateAsync(SecretRecord secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return database.WriteAsync(async session =>
        {
            var inserted = await session.ExecuteAsync(
                $"INSERT INTO cairn_secrets.secrets ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) "
                + "ON CONFLICT (account_id, region, name) DO NOTHING",
                SecretArgs(secret)).ConfigureAwait(false) > 0;
            if (inserted)
            {
                await InsertVersionsAsync(session, secret).ConfigureAwait(false);
            }

            return inserted;
        }, cancellationToken);
    }

    public Task<SecretRecord?> GetAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        database.ReadAsync(session => GetAsync(session, accountId, region, name, forUpdate: false), cancellationToken);

    public async Task<IReadOnlyList<SecretRecord>> ListAsync(string accountId, string region, CancellationToken cancellationToken) =>
        await database.ReadAsync(async session =>
        {
            var secrets = await session.QueryAsync(
                $"SELECT {Columns} FROM cairn_secrets.secrets WHERE account_id = $1 AND region = $2 ORDER BY name", ReadSecret, accountId, region).ConfigureAwait(false);
            var withVersions = new List<SecretRecord>(secrets.Count);
            foreach (var secret in secrets)
            {
                withVersions.Add(await WithVersionsAsync(session, secret).ConfigureAwait(false));
            }

            return withVersions;
        }, cancellationToken).ConfigureAwait(false);

    public Task<SecretRecord?> UpdateAsync(
        string accountId, string region, string name, Func<SecretRecord, SecretRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.WriteAsync(async session =>
        {
            if (await GetAsync(session, accountId, region, name, forUpdate: true).ConfigureAwait(false) is not { } current)
            {
                return null;
            }

            var changed = change(current) with { AccountId = accountId, Region = region, Name = name, Arn = current.Arn };
            await session.ExecuteAsync(
                $"UPDATE cairn_secrets.secrets SET description = $4, kms_key_id = $5, created_at = $6, last_changed = $7, last_accessed = $8, "
                + $"deleted_date = $9, deletion_date = $10, tags = $11, resource_policy = $12, primary_region = $13, replicas = $14, rotation = $15 WHERE {Key}",
                SecretArgs(changed).Where((_, i) => i != 3).ToArray()).ConfigureAwait(false);
            await session.ExecuteAsync("DELETE FROM cairn_secrets.versions WHERE arn = $1", current.Arn).ConfigureAwait(false);
            await InsertVersionsAsync(session, changed).ConfigureAwait(false);
            return changed;
        }, cancellationToken);
    }

    public Task<bool> DeleteAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
            await session.ExecuteAsync($"DELETE FROM cairn_secrets.secrets WHERE {Key}", accountId, region, name).ConfigureAwait(false) > 0,
            cancellationToken);

    public async Task<IReadOnlyList<SecretRecord>> PurgeDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.WriteAsync(session => session.QueryAsync(
            $"DELETE FROM cairn_secrets.secrets WHERE deletion_date IS NOT NULL AND deletion_date <= $1 RETURNING {Columns}", ReadSecret, now),
            cancellationToken).ConfigureAwait(false);

    private static async Task<SecretRecord?> GetAsync(PostgresSession session, string accountId, string region, string name, bool forUpdate) =>
        await session.QuerySingleAsync(
            $"SELECT {Columns} FROM cairn_secrets.secrets WHERE {Key}" + (forUpdate ? " FOR UPDATE" : string.Empty), ReadSecret, accountId, region, name).ConfigureAwait(false) is { } found
            ? await WithVersionsAsync(session, found).ConfigureAwait(false)
            : null;

    private static async Task<SecretRecord> WithVersionsAsync(PostgresSession session, SecretRecord secret) =>
        secret with
        {
            Versions = await session.QueryAsync(
                $"SELECT {VersionColumns} FROM cairn_secrets.versions WHERE arn = $1 ORDER BY created_at, version_id", ReadVersion, secret.Arn).ConfigureAwait(false),
        };

    private static object?[] SecretArgs(SecretRecord s) =>
        [s.AccountId, s.Region, s.Name, s.Arn, s.Description, s.KmsKeyId, s.Created, s.LastChanged, s.LastAccessed, s.DeletedDate, s.DeletionDate,
         SecretColumns.TagsJson(s.Tags), s.ResourcePolicy, s.PrimaryRegion, SecretColumns.ReplicasJson(s.Replicas), SecretColumns.RotationJson(s.Rotation)];

    private static async Task InsertVersionsAsync(PostgresSession session, SecretRecord s)
    {
        foreach (var v in s.Versions)
        {
            await session.ExecuteAsync(
                $"INSERT INTO cairn_secrets.versions (arn, {VersionColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                s.Arn, v.VersionId, SecretColumns.StagesJson(v.Stages), v.Created, v.Ciphertext, v.IsBinary, v.KeyArn,
                v.LastAccessed).ConfigureAwait(false);
        }
    }

    private static SecretRecord ReadSecret(NpgsqlDataReader row) => new(
        row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3), StringOrNull(row, 4), StringOrNull(row, 5),
        Time(row, 6)!.Value, Time(row, 7)!.Value, Time(row, 8), Time(row, 9), Time(row, 10), SecretColumns.ParseTags(row.GetString(11)), StringOrNull(row, 12), [])
    {
        PrimaryRegion = StringOrNull(row, 13),
        Replicas = SecretColumns.ParseReplicas(StringOrNull(row, 14)),
        Rotation = SecretColumns.ParseRotation(StringOrNull(row, 15)),
    };

    private static SecretVersionRecord ReadVersion(NpgsqlDataReader row) => new(
        row.GetString(0), SecretColumns.ParseStages(row.GetString(1)), Time(row, 2)!.Value,
        row.GetString(3), row.GetBoolean(4), row.GetString(5), Time(row, 6));

    private static string? StringOrNull(NpgsqlDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);

    private static DateTimeOffset? Time(NpgsqlDataReader row, int column) => row.IsDBNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(column));
}
