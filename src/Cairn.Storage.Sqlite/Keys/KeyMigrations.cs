namespace Cairn.Storage.Sqlite.Keys;

/// <summary>The "keys" module's schema steps. Never edit a shipped step; append one.</summary>
public static class KeyMigrations
{
    public static MigrationSet Set { get; } = new("keys",
    [
        """
        CREATE TABLE kms_keys (
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            key_id TEXT NOT NULL,
            description TEXT NOT NULL,
            key_usage TEXT NOT NULL,
            key_spec TEXT NOT NULL,
            origin TEXT NOT NULL,
            key_manager TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            policy TEXT,
            tags TEXT NOT NULL,
            wrapped_material BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, region, key_id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX kms_keys_key_id ON kms_keys (key_id);
        CREATE TABLE kms_aliases (
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            alias_name TEXT NOT NULL,
            target_key_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, region, alias_name),
            FOREIGN KEY (account_id, region, target_key_id) REFERENCES kms_keys (account_id, region, key_id)
        ) WITHOUT ROWID;
        CREATE INDEX kms_aliases_target ON kms_aliases (account_id, region, target_key_id);
        CREATE TABLE kms_master_key_check (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            check_value BLOB NOT NULL,
            created_at INTEGER NOT NULL
        );
        """,
        // Keys and aliases are cached by SqliteKeyStore; this number tells it about writes by other processes.
        SharedGeneration.MigrationStep("kms_generation", "kms_keys", "kms_aliases"),
        // Key lifecycle and rotation: ScheduleKeyDeletion's date and window, automatic rotation, rotated material (JSON, wrapped).
        """
        ALTER TABLE kms_keys ADD COLUMN deletion_date INTEGER;
        ALTER TABLE kms_keys ADD COLUMN pending_window_days INTEGER;
        ALTER TABLE kms_keys ADD COLUMN rotation_period_days INTEGER;
        ALTER TABLE kms_keys ADD COLUMN next_rotation_date INTEGER;
        ALTER TABLE kms_keys ADD COLUMN rotations TEXT NOT NULL DEFAULT '[]';
        """,
    ]);
}
