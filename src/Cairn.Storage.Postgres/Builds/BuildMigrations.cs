namespace Cairn.Storage.Postgres.Builds;

/// <summary>The "builds" store's schema, <c>cairn_builds</c>. Never edit a shipped step; append one.</summary>
public static class BuildMigrations
{
    public static PostgresMigrationSet Set { get; } = new("builds",
    [
        // Settings, phases, variables and pipeline artifacts are JSON text (BuildJson), as in SQLite; times in Unix ms.
        """
        CREATE SCHEMA cairn_builds;
        CREATE TABLE cairn_builds.projects (
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            name text COLLATE "C" NOT NULL,
            settings text NOT NULL,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            PRIMARY KEY (account_id, region, name));
        CREATE TABLE cairn_builds.build_numbers (
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            project_name text COLLATE "C" NOT NULL,
            last_number bigint NOT NULL,
            PRIMARY KEY (account_id, region, project_name));
        CREATE TABLE cairn_builds.builds (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            uuid text NOT NULL UNIQUE,
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            project_name text COLLATE "C" NOT NULL,
            build_number bigint NOT NULL,
            settings text NOT NULL,
            source_version text,
            resolved_source_version text,
            initiator text NOT NULL,
            idempotency_token text,
            request_digest text,
            start_time bigint NOT NULL,
            end_time bigint,
            status text NOT NULL,
            current_phase text NOT NULL,
            phases text NOT NULL,
            exported_variables text NOT NULL,
            stop_requested boolean NOT NULL,
            pipeline text,
            runner text,
            runner_seen_at bigint);
        CREATE INDEX builds_scope ON cairn_builds.builds (account_id, region, seq);
        CREATE INDEX builds_project ON cairn_builds.builds (account_id, region, project_name, seq);
        CREATE INDEX builds_status ON cairn_builds.builds (account_id, region, status, seq);
        CREATE INDEX builds_project_status ON cairn_builds.builds (account_id, region, project_name, status, seq);
        CREATE INDEX builds_unfinished ON cairn_builds.builds (seq) WHERE status = 'IN_PROGRESS';
        CREATE INDEX builds_token ON cairn_builds.builds (account_id, region, idempotency_token) WHERE idempotency_token IS NOT NULL;
        """,
        // Build agents (`cairn agent`) and the one-time tokens that register them: only SHA-256 hashes of secrets.
        """
        CREATE TABLE cairn_builds.agent_tokens (
            token_hash text PRIMARY KEY,
            account_id text NOT NULL,
            created_by text NOT NULL,
            created_at bigint NOT NULL,
            expires_at bigint NOT NULL,
            used_at bigint);
        CREATE TABLE cairn_builds.agents (
            id text PRIMARY KEY,
            account_id text NOT NULL,
            name text NOT NULL,
            labels text NOT NULL,
            secret_hash text NOT NULL,
            created_by text NOT NULL,
            created_at bigint NOT NULL,
            revoked_at bigint);
        CREATE INDEX agents_account ON cairn_builds.agents (account_id, created_at, id);
        """,
    ]);
}
