namespace Cairn.Storage.Postgres.Secrets;

/// <summary>The "secrets" store's schema, <c>cairn_secrets</c>. Never edit a shipped step; append one.</summary>
public static class SecretMigrations
{
    public static PostgresMigrationSet Set { get; } = new("secrets",
    [
        // A version's value is the ciphertext Secrets Manager hands over; stages and tags are JSON text. Times in Unix ms.
        """
        CREATE SCHEMA cairn_secrets;
        CREATE TABLE cairn_secrets.secrets (
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            name text COLLATE "C" NOT NULL,
            arn text NOT NULL UNIQUE,
            description text,
            kms_key_id text,
            created_at bigint NOT NULL,
            last_changed bigint NOT NULL,
            last_accessed bigint,
            deleted_date bigint,
            deletion_date bigint,
            tags text NOT NULL,
            resource_policy text,
            PRIMARY KEY (account_id, region, name));
        CREATE INDEX secrets_deletion ON cairn_secrets.secrets (deletion_date) WHERE deletion_date IS NOT NULL;
        CREATE TABLE cairn_secrets.versions (
            arn text NOT NULL REFERENCES cairn_secrets.secrets (arn) ON DELETE CASCADE,
            version_id text COLLATE "C" NOT NULL,
            stages text NOT NULL,
            created_at bigint NOT NULL,
            ciphertext text NOT NULL,
            is_binary boolean NOT NULL,
            key_arn text NOT NULL,
            last_accessed bigint,
            PRIMARY KEY (arn, version_id));
        """,
        // Replication (a replica's primary region, a primary's replicas as JSON) and RotateSecret's configuration (JSON).
        """
        ALTER TABLE cairn_secrets.secrets ADD COLUMN primary_region text, ADD COLUMN replicas text, ADD COLUMN rotation text;
        """,
    ]);
}
