namespace Cairn.Storage.Sqlite.Secrets;

/// <summary>The "secrets" module's schema steps. Never edit a shipped step; append one.</summary>
public static class SecretMigrations
{
    public static MigrationSet Set { get; } = new("secrets",
    [
        """
        CREATE TABLE secrets_secrets (
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            name TEXT NOT NULL,
            arn TEXT NOT NULL UNIQUE,
            description TEXT,
            kms_key_id TEXT,
            created_at INTEGER NOT NULL,
            last_changed INTEGER NOT NULL,
            last_accessed INTEGER,
            deleted_date INTEGER,
            deletion_date INTEGER,
            tags TEXT NOT NULL,
            resource_policy TEXT,
            PRIMARY KEY (account_id, region, name)
        ) WITHOUT ROWID;
        CREATE INDEX secrets_deletion ON secrets_secrets (deletion_date) WHERE deletion_date IS NOT NULL;
        CREATE TABLE secrets_versions (
            arn TEXT NOT NULL,
            version_id TEXT NOT NULL,
            stages TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            ciphertext TEXT NOT NULL,
            is_binary INTEGER NOT NULL,
            key_arn TEXT NOT NULL,
            last_accessed INTEGER,
            PRIMARY KEY (arn, version_id)
        ) WITHOUT ROWID;
        """,
        // Replication (a replica's primary region, a primary's replicas as JSON) and RotateSecret's configuration (JSON).
        """
        ALTER TABLE secrets_secrets ADD COLUMN primary_region TEXT;
        ALTER TABLE secrets_secrets ADD COLUMN replicas TEXT;
        ALTER TABLE secrets_secrets ADD COLUMN rotation TEXT;
        """,
    ]);
}
