namespace Cairn.Storage.Sqlite.Identity;

/// <summary>The "identity" module's schema. Names are unique per account regardless of case, as in IAM.</summary>
public static class IdentityMigrations
{
    public static MigrationSet Set { get; } = new("identity",
    [
        """
        CREATE TABLE iam_users (
            account_id TEXT NOT NULL,
            user_name TEXT NOT NULL COLLATE NOCASE,
            user_id TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            arn TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, user_name));
        CREATE TABLE iam_access_keys (
            access_key_id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL,
            user_name TEXT NOT NULL COLLATE NOCASE,
            secret TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_used_at INTEGER,
            last_used_service TEXT,
            last_used_region TEXT);
        CREATE INDEX iam_access_keys_by_user ON iam_access_keys (account_id, user_name);
        CREATE TABLE iam_roles (
            account_id TEXT NOT NULL,
            role_name TEXT NOT NULL COLLATE NOCASE,
            role_id TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            arn TEXT NOT NULL,
            trust_policy TEXT NOT NULL,
            description TEXT,
            max_session_duration INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            last_used_at INTEGER,
            last_used_region TEXT,
            PRIMARY KEY (account_id, role_name));
        CREATE TABLE iam_groups (
            account_id TEXT NOT NULL,
            group_name TEXT NOT NULL COLLATE NOCASE,
            group_id TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            arn TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, group_name));
        CREATE TABLE iam_group_members (
            account_id TEXT NOT NULL,
            group_name TEXT NOT NULL COLLATE NOCASE,
            user_name TEXT NOT NULL COLLATE NOCASE,
            added_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, group_name, user_name));
        CREATE INDEX iam_group_members_by_user ON iam_group_members (account_id, user_name);
        CREATE TABLE iam_policies (
            arn TEXT PRIMARY KEY,
            account_id TEXT NOT NULL,
            policy_name TEXT NOT NULL COLLATE NOCASE,
            policy_id TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            description TEXT,
            default_version TEXT NOT NULL,
            next_version INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (account_id, policy_name));
        CREATE TABLE iam_policy_versions (
            policy_arn TEXT NOT NULL REFERENCES iam_policies (arn) ON DELETE CASCADE,
            version_id TEXT NOT NULL,
            version_number INTEGER NOT NULL,
            document TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (policy_arn, version_id));
        CREATE TABLE iam_attachments (
            account_id TEXT NOT NULL,
            entity_kind TEXT NOT NULL,
            entity_name TEXT NOT NULL COLLATE NOCASE,
            policy_arn TEXT NOT NULL,
            attached_at INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (account_id, entity_kind, entity_name, policy_arn));
        CREATE INDEX iam_attachments_by_policy ON iam_attachments (policy_arn);
        CREATE TABLE iam_inline_policies (
            account_id TEXT NOT NULL,
            entity_kind TEXT NOT NULL,
            entity_name TEXT NOT NULL COLLATE NOCASE,
            policy_name TEXT NOT NULL COLLATE NOCASE,
            document TEXT NOT NULL,
            PRIMARY KEY (account_id, entity_kind, entity_name, policy_name));
        CREATE TABLE iam_tags (
            account_id TEXT NOT NULL,
            entity_kind TEXT NOT NULL,
            entity_name TEXT NOT NULL COLLATE NOCASE,
            tag_key TEXT NOT NULL COLLATE NOCASE,
            tag_value TEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (account_id, entity_kind, entity_name, tag_key));
        CREATE TABLE sts_sessions (
            access_key_id TEXT PRIMARY KEY,
            secret TEXT NOT NULL,
            session_token TEXT NOT NULL,
            account_id TEXT NOT NULL,
            role_name TEXT NOT NULL,
            role_arn TEXT NOT NULL,
            session_name TEXT NOT NULL,
            assumed_role_arn TEXT NOT NULL,
            assumed_role_id TEXT NOT NULL,
            issued_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            session_policy TEXT);
        CREATE INDEX sts_sessions_by_expiry ON sts_sessions (expires_at);
        """,
        // A change number moved by trigger on every write to an identity table, whichever process writes it, so a server
        // sees IAM changes made by another process sharing the database (SqliteIdentityStore's change feed).
        SharedGeneration.MigrationStep("iam_generation", "iam_users", "iam_access_keys", "iam_roles", "iam_groups", "iam_group_members",
            "iam_policies", "iam_policy_versions", "iam_attachments", "iam_inline_policies", "iam_tags", "sts_sessions"),
        // Console sign-in: login profiles (Argon2id hashes in PHC form, never passwords), the hashes of replaced passwords
        // (the password policy's reuse prevention), the account's password policy and its alias (unique across accounts).
        """
        CREATE TABLE iam_login_profiles (
            account_id TEXT NOT NULL,
            user_name TEXT NOT NULL COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            password_reset_required INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            password_changed_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, user_name));
        CREATE TABLE iam_password_history (
            account_id TEXT NOT NULL,
            user_name TEXT NOT NULL COLLATE NOCASE,
            seq INTEGER NOT NULL,
            password_hash TEXT NOT NULL,
            replaced_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, user_name, seq));
        CREATE TABLE iam_password_policies (
            account_id TEXT PRIMARY KEY,
            minimum_length INTEGER NOT NULL,
            require_symbols INTEGER NOT NULL,
            require_numbers INTEGER NOT NULL,
            require_uppercase INTEGER NOT NULL,
            require_lowercase INTEGER NOT NULL,
            allow_users_to_change INTEGER NOT NULL,
            max_password_age INTEGER,
            password_reuse_prevention INTEGER,
            hard_expiry INTEGER NOT NULL);
        CREATE TABLE iam_account_aliases (
            account_id TEXT PRIMARY KEY,
            alias TEXT NOT NULL UNIQUE);
        """,
        // Permissions boundaries: the managed policy ARN that bounds a user's or a role's permissions (no foreign key: AWS
        // managed policies are not rows; DeletePolicy refuses a customer policy still in use as a boundary).
        """
        ALTER TABLE iam_users ADD COLUMN permissions_boundary TEXT;
        ALTER TABLE iam_roles ADD COLUMN permissions_boundary TEXT;
        """,
        // OpenID Connect providers (AssumeRoleWithWebIdentity's issuers): client ids and thumbprints as JSON arrays of strings.
        """
        CREATE TABLE iam_oidc_providers (
            arn TEXT PRIMARY KEY,
            account_id TEXT NOT NULL,
            url TEXT NOT NULL,
            client_ids TEXT NOT NULL,
            thumbprints TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE INDEX iam_oidc_providers_by_account ON iam_oidc_providers (account_id);
        CREATE TRIGGER iam_oidc_providers_generation_insert AFTER INSERT ON iam_oidc_providers BEGIN UPDATE iam_generation SET generation = generation + 1; END;
        CREATE TRIGGER iam_oidc_providers_generation_update AFTER UPDATE ON iam_oidc_providers BEGIN UPDATE iam_generation SET generation = generation + 1; END;
        CREATE TRIGGER iam_oidc_providers_generation_delete AFTER DELETE ON iam_oidc_providers BEGIN UPDATE iam_generation SET generation = generation + 1; END;
        """,
        // Instance profiles and the role each holds (IAM allows one).
        """
        CREATE TABLE iam_instance_profiles (
            account_id TEXT NOT NULL,
            instance_profile_name TEXT NOT NULL COLLATE NOCASE,
            instance_profile_id TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            arn TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, instance_profile_name));
        CREATE TABLE iam_instance_profile_roles (
            account_id TEXT NOT NULL,
            instance_profile_name TEXT NOT NULL COLLATE NOCASE,
            role_name TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (account_id, instance_profile_name, role_name));
        CREATE INDEX iam_instance_profile_roles_by_role ON iam_instance_profile_roles (account_id, role_name);
        CREATE TRIGGER iam_instance_profiles_generation_insert AFTER INSERT ON iam_instance_profiles BEGIN UPDATE iam_generation SET generation = generation + 1; END;
        CREATE TRIGGER iam_instance_profiles_generation_delete AFTER DELETE ON iam_instance_profiles BEGIN UPDATE iam_generation SET generation = generation + 1; END;
        CREATE TRIGGER iam_instance_profile_roles_generation_insert AFTER INSERT ON iam_instance_profile_roles BEGIN UPDATE iam_generation SET generation = generation + 1; END;
        CREATE TRIGGER iam_instance_profile_roles_generation_delete AFTER DELETE ON iam_instance_profile_roles BEGIN UPDATE iam_generation SET generation = generation + 1; END;
        """,
        // The account's last credential report (no generation trigger: nothing caches it).
        """
        CREATE TABLE iam_credential_reports (
            account_id TEXT PRIMARY KEY,
            generated_at INTEGER NOT NULL,
            content TEXT NOT NULL);
        """,
    ]);
}
