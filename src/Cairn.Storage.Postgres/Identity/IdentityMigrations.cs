namespace Cairn.Storage.Postgres.Identity;

/// <summary>
/// The "identity" store's schema, <c>cairn_identity</c>. Never edit a shipped step; append one. Names of users, roles,
/// groups, policies, inline policies and tag keys are unique per account regardless of case (IAM's rule, SQLite's
/// <c>COLLATE NOCASE</c>) through the nondeterministic ICU collation <c>cairn_identity.nocase</c>; listings order by
/// <c>lower(name) COLLATE "C"</c>, SQLite's NOCASE order.
/// </summary>
public static class IdentityMigrations
{
    public static PostgresMigrationSet Set { get; } = new("identity",
    [
        // Secret access keys and session credentials only encrypted under the master key. Times in Unix ms, as in SQLite.
        """
        CREATE SCHEMA cairn_identity;
        CREATE COLLATION cairn_identity.nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
        CREATE TABLE cairn_identity.users (
            account_id text COLLATE "C" NOT NULL,
            user_name text COLLATE cairn_identity.nocase NOT NULL,
            user_id text COLLATE "C" NOT NULL UNIQUE,
            path text NOT NULL,
            arn text NOT NULL,
            created_at bigint NOT NULL,
            PRIMARY KEY (account_id, user_name));
        CREATE TABLE cairn_identity.access_keys (
            access_key_id text COLLATE "C" PRIMARY KEY,
            account_id text COLLATE "C" NOT NULL,
            user_name text COLLATE cairn_identity.nocase NOT NULL,
            secret text NOT NULL,
            status text NOT NULL,
            created_at bigint NOT NULL,
            last_used_at bigint,
            last_used_service text,
            last_used_region text);
        CREATE INDEX access_keys_by_user ON cairn_identity.access_keys (account_id, user_name);
        CREATE TABLE cairn_identity.roles (
            account_id text COLLATE "C" NOT NULL,
            role_name text COLLATE cairn_identity.nocase NOT NULL,
            role_id text COLLATE "C" NOT NULL UNIQUE,
            path text NOT NULL,
            arn text NOT NULL,
            trust_policy text NOT NULL,
            description text,
            max_session_duration integer NOT NULL,
            created_at bigint NOT NULL,
            last_used_at bigint,
            last_used_region text,
            PRIMARY KEY (account_id, role_name));
        CREATE TABLE cairn_identity.groups (
            account_id text COLLATE "C" NOT NULL,
            group_name text COLLATE cairn_identity.nocase NOT NULL,
            group_id text COLLATE "C" NOT NULL UNIQUE,
            path text NOT NULL,
            arn text NOT NULL,
            created_at bigint NOT NULL,
            PRIMARY KEY (account_id, group_name));
        CREATE TABLE cairn_identity.group_members (
            account_id text COLLATE "C" NOT NULL,
            group_name text COLLATE cairn_identity.nocase NOT NULL,
            user_name text COLLATE cairn_identity.nocase NOT NULL,
            added_at bigint NOT NULL,
            PRIMARY KEY (account_id, group_name, user_name));
        CREATE INDEX group_members_by_user ON cairn_identity.group_members (account_id, user_name);
        CREATE TABLE cairn_identity.policies (
            arn text COLLATE "C" PRIMARY KEY,
            account_id text COLLATE "C" NOT NULL,
            policy_name text COLLATE cairn_identity.nocase NOT NULL,
            policy_id text COLLATE "C" NOT NULL UNIQUE,
            path text NOT NULL,
            description text,
            default_version text COLLATE "C" NOT NULL,
            next_version bigint NOT NULL,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            UNIQUE (account_id, policy_name));
        CREATE TABLE cairn_identity.policy_versions (
            policy_arn text COLLATE "C" NOT NULL REFERENCES cairn_identity.policies (arn) ON DELETE CASCADE,
            version_id text COLLATE "C" NOT NULL,
            version_number bigint NOT NULL,
            document text NOT NULL,
            created_at bigint NOT NULL,
            PRIMARY KEY (policy_arn, version_id));
        CREATE TABLE cairn_identity.attachments (
            account_id text COLLATE "C" NOT NULL,
            entity_kind text COLLATE "C" NOT NULL,
            entity_name text COLLATE cairn_identity.nocase NOT NULL,
            policy_arn text COLLATE "C" NOT NULL,
            attached_at bigint NOT NULL,
            seq bigint NOT NULL,
            PRIMARY KEY (account_id, entity_kind, entity_name, policy_arn));
        CREATE INDEX attachments_by_policy ON cairn_identity.attachments (policy_arn);
        CREATE TABLE cairn_identity.inline_policies (
            account_id text COLLATE "C" NOT NULL,
            entity_kind text COLLATE "C" NOT NULL,
            entity_name text COLLATE cairn_identity.nocase NOT NULL,
            policy_name text COLLATE cairn_identity.nocase NOT NULL,
            document text NOT NULL,
            PRIMARY KEY (account_id, entity_kind, entity_name, policy_name));
        CREATE TABLE cairn_identity.tags (
            account_id text COLLATE "C" NOT NULL,
            entity_kind text COLLATE "C" NOT NULL,
            entity_name text COLLATE cairn_identity.nocase NOT NULL,
            tag_key text COLLATE cairn_identity.nocase NOT NULL,
            tag_value text NOT NULL,
            seq bigint NOT NULL,
            PRIMARY KEY (account_id, entity_kind, entity_name, tag_key));
        CREATE TABLE cairn_identity.sessions (
            access_key_id text COLLATE "C" PRIMARY KEY,
            secret text NOT NULL,
            session_token text NOT NULL,
            account_id text COLLATE "C" NOT NULL,
            role_name text NOT NULL,
            role_arn text NOT NULL,
            session_name text NOT NULL,
            assumed_role_arn text NOT NULL,
            assumed_role_id text NOT NULL,
            issued_at bigint NOT NULL,
            expires_at bigint NOT NULL,
            session_policy text);
        CREATE INDEX sessions_by_expiry ON cairn_identity.sessions (expires_at);
        CREATE TABLE cairn_identity.login_profiles (
            account_id text COLLATE "C" NOT NULL,
            user_name text COLLATE cairn_identity.nocase NOT NULL,
            password_hash text NOT NULL,
            password_reset_required boolean NOT NULL,
            created_at bigint NOT NULL,
            password_changed_at bigint NOT NULL,
            PRIMARY KEY (account_id, user_name));
        CREATE TABLE cairn_identity.password_history (
            account_id text COLLATE "C" NOT NULL,
            user_name text COLLATE cairn_identity.nocase NOT NULL,
            seq bigint NOT NULL,
            password_hash text NOT NULL,
            replaced_at bigint NOT NULL,
            PRIMARY KEY (account_id, user_name, seq));
        CREATE TABLE cairn_identity.password_policies (
            account_id text COLLATE "C" PRIMARY KEY,
            minimum_length integer NOT NULL,
            require_symbols boolean NOT NULL,
            require_numbers boolean NOT NULL,
            require_uppercase boolean NOT NULL,
            require_lowercase boolean NOT NULL,
            allow_users_to_change boolean NOT NULL,
            max_password_age integer,
            password_reuse_prevention integer,
            hard_expiry boolean NOT NULL);
        CREATE TABLE cairn_identity.account_aliases (
            account_id text COLLATE "C" PRIMARY KEY,
            alias text COLLATE "C" NOT NULL UNIQUE);

        -- The change feed: moved by trigger in every transaction that changes an identity table (see cairn_parameters.generation).
        CREATE TABLE cairn_identity.generation (
            id integer PRIMARY KEY CHECK (id = 1),
            generation bigint NOT NULL);
        INSERT INTO cairn_identity.generation (id, generation) VALUES (1, 0);
        CREATE FUNCTION cairn_identity.move_generation() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            UPDATE cairn_identity.generation SET generation = generation + 1 WHERE id = 1;
            RETURN NULL;
        END
        $body$;
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.users FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.access_keys FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.roles FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.groups FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.group_members FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.policies FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.policy_versions FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.attachments FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.inline_policies FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.tags FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.sessions FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.login_profiles FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.password_history FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.password_policies FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.account_aliases FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        """,
        // Permissions boundaries: the managed policy ARN that bounds a user's or a role's permissions (no foreign key: AWS
        // managed policies are not rows; DeletePolicy refuses a customer policy still in use as a boundary).
        """
        ALTER TABLE cairn_identity.users ADD COLUMN permissions_boundary text COLLATE "C";
        ALTER TABLE cairn_identity.roles ADD COLUMN permissions_boundary text COLLATE "C";
        """,
        // OpenID Connect providers (AssumeRoleWithWebIdentity's issuers): client ids and thumbprints as JSON arrays of strings.
        """
        CREATE TABLE cairn_identity.oidc_providers (
            arn text COLLATE "C" PRIMARY KEY,
            account_id text COLLATE "C" NOT NULL,
            url text COLLATE "C" NOT NULL,
            client_ids text NOT NULL,
            thumbprints text NOT NULL,
            created_at bigint NOT NULL);
        CREATE INDEX oidc_providers_by_account ON cairn_identity.oidc_providers (account_id);
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.oidc_providers FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        """,
        // Instance profiles and the role each holds (IAM allows one).
        """
        CREATE TABLE cairn_identity.instance_profiles (
            account_id text COLLATE "C" NOT NULL,
            instance_profile_name text COLLATE cairn_identity.nocase NOT NULL,
            instance_profile_id text COLLATE "C" NOT NULL UNIQUE,
            path text NOT NULL,
            arn text NOT NULL,
            created_at bigint NOT NULL,
            PRIMARY KEY (account_id, instance_profile_name));
        CREATE TABLE cairn_identity.instance_profile_roles (
            account_id text COLLATE "C" NOT NULL,
            instance_profile_name text COLLATE cairn_identity.nocase NOT NULL,
            role_name text COLLATE cairn_identity.nocase NOT NULL,
            PRIMARY KEY (account_id, instance_profile_name, role_name));
        CREATE INDEX instance_profile_roles_by_role ON cairn_identity.instance_profile_roles (account_id, role_name);
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.instance_profiles FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_identity.instance_profile_roles FOR EACH STATEMENT EXECUTE FUNCTION cairn_identity.move_generation();
        """,
        // The account's last credential report (no generation trigger: nothing caches it).
        """
        CREATE TABLE cairn_identity.credential_reports (
            account_id text COLLATE "C" PRIMARY KEY,
            generated_at bigint NOT NULL,
            content text NOT NULL);
        """,
    ]);
}
