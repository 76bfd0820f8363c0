using Cairn.Storage.Secrets;

namespace Cairn.Storage.Sqlite.Secrets;

/// <summary>Secrets and their versions in the embedded database (tables from <see cref="SecretMigrations"/>); values stay ciphertext.</summary>
public sealed class SqliteSecretStore(SqliteDatabase database) : ISecretStore
{
    private const string Columns = "account_id, region, name, arn, description, kms_key_id, created_at, last_changed, last_accessed, deleted_date, deletion_date, tags, resource_policy, primary_region, replicas, rotation";
    private const string VersionColumns = "version_id, stages, created_at, ciphertext, is_binary, key_arn, last_accessed";
    private const string Key = "account_id = ? AND region = ? AND name = ?";

    public Task<bool> CreateAsync(SecretRecord secret, CancellationToken cancellationToken) =>
        database.WriteAsync(c =>
        {
            if (c.QuerySingle($"SELECT 1 FROM secrets_secrets WHERE {Key}", r => r.GetInt32(0), secret.AccountId, secret.Region, secret.Name) == 1)
            {
                return false;
            }

            Insert(c, secret);
            return true;
        }, cancellationToken);

    public Task<SecretRecord?> GetAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(c => Get(c, accountId, region, name)));

    public Task<IReadOnlyList<SecretRecord>> ListAsync(string accountId, string region, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SecretRecord>>(database.Read(c =>
            c.Query($"SELECT {Columns} FROM secrets_secrets WHERE account_id = ? AND region = ? ORDER BY name", ReadSecret, accountId, region)
                .Select(s => WithVersions(c, s)).ToList()));

    public Task<SecretRecord?> UpdateAsync(
        string accountId, string region, string name, Func<SecretRecord, SecretRecord> change, CancellationToken cancellationToken) =>
        database.WriteAsync(c =>
        {
            var current = Get(c, accountId, region, name);
            if (current is null)
            {
                return null;
            }

            var changed = change(current) with { AccountId = accountId, Region = region, Name = name, Arn = current.Arn };
            Remove(c, current);
            Insert(c, changed);
            return changed;
        }, cancellationToken);

    public Task<bool> DeleteAsync(string accountId, string region, string name, CancellationToken cancellationToken) =>
        database.WriteAsync(c =>
        {
            var current = c.QuerySingle($"SELECT {Columns} FROM secrets_secrets WHERE {Key}", ReadSecret, accountId, region, name);
            if (current is null)
            {
                return false;
            }

            Remove(c, current);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<SecretRecord>> PurgeDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<SecretRecord>>(c =>
        {
            var due = c.Query($"SELECT {Columns} FROM secrets_secrets WHERE deletion_date IS NOT NULL AND deletion_date <= ?", ReadSecret, now);
            foreach (var secret in due)
            {
                Remove(c, secret);
            }

            return due;
        }, cancellationToken);

    private static SecretRecord? Get(SqliteConnection c, string accountId, string region, string name) =>
        c.QuerySingle($"SELECT {Columns} FROM secrets_secrets WHERE {Key}", ReadSecret, accountId, region, name) is { } found ? WithVersions(c, found) : null;

    private static SecretRecord WithVersions(SqliteConnection c, SecretRecord secret) =>
        secret with { Versions = c.Query($"SELECT {VersionColumns} FROM secrets_versions WHERE arn = ? ORDER BY created_at, version_id", ReadVersion, secret.Arn) };

    private static void Insert(SqliteConnection c, SecretRecord s)
    {
        c.Execute(
            $"INSERT INTO secrets_secrets ({Columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            s.AccountId, s.Region, s.Name, s.Arn, s.Description, s.KmsKeyId, s.Created, s.LastChanged, s.LastAccessed, s.DeletedDate, s.DeletionDate,
            SecretColumns.TagsJson(s.Tags), s.ResourcePolicy, s.PrimaryRegion, SecretColumns.ReplicasJson(s.Replicas), SecretColumns.RotationJson(s.Rotation));
        foreach (var v in s.Versions)
        {
            c.Execute(
                $"INSERT INTO secrets_versions (arn, {VersionColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                s.Arn, v.VersionId, SecretColumns.StagesJson(v.Stages), v.Created, v.Ciphertext, v.IsBinary, v.KeyArn, v.LastAccessed);
        }
    }

    private static void Remove(SqliteConnection c, SecretRecord s)
    {
        c.Execute("DELETE FROM secrets_versions WHERE arn = ?", s.Arn);
        c.Execute($"DELETE FROM secrets_secrets WHERE {Key}", s.AccountId, s.Region, s.Name);
    }

    private static SecretRecord ReadSecret(SqliteRow row) => new(
        row.GetString(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetStringOrNull(4), row.GetStringOrNull(5),
        Time(row, 6)!.Value, Time(row, 7)!.Value, Time(row, 8), Time(row, 9), Time(row, 10), SecretColumns.ParseTags(row.GetString(11)), row.GetStringOrNull(12), [])
    {
        PrimaryRegion = row.GetStringOrNull(13),
        Replicas = SecretColumns.ParseReplicas(row.GetStringOrNull(14)),
        Rotation = SecretColumns.ParseRotation(row.GetStringOrNull(15)),
    };

    private static SecretVersionRecord ReadVersion(SqliteRow row) => new(
        row.GetString(0), SecretColumns.ParseStages(row.GetString(1)), Time(row, 2)!.Value,
        row.GetString(3), row.GetBoolean(4), row.GetString(5), Time(row, 6));

    private static DateTimeOffset? Time(SqliteRow row, int column) => row.IsNull(column) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(column));
}
