namespace Cairn.Storage.Sqlite.Builds;

/// <summary>The "builds" module's schema steps. Never edit a shipped step; append one.</summary>
public static class BuildMigrations
{
    public static MigrationSet Set { get; } = new("builds",
    [
        """
        CREATE TABLE codebuild_projects (
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            name TEXT NOT NULL,
            settings TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (account_id, region, name)
        ) WITHOUT ROWID;
        CREATE TABLE codebuild_build_numbers (
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            project_name TEXT NOT NULL,
            last_number INTEGER NOT NULL,
            PRIMARY KEY (account_id, region, project_name)
        ) WITHOUT ROWID;
        CREATE TABLE codebuild_builds (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            uuid TEXT NOT NULL UNIQUE,
            account_id TEXT NOT NULL,
            region TEXT NOT NULL,
            project_name TEXT NOT NULL,
            build_number INTEGER NOT NULL,
            settings TEXT NOT NULL,
            source_version TEXT,
            resolved_source_version TEXT,
            initiator TEXT NOT NULL,
            idempotency_token TEXT,
            request_digest TEXT,
            start_time INTEGER NOT NULL,
            end_time INTEGER,
            status TEXT NOT NULL,
            current_phase TEXT NOT NULL,
            phases TEXT NOT NULL,
            exported_variables TEXT NOT NULL,
            stop_requested INTEGER NOT NULL
        );
        CREATE INDEX codebuild_builds_scope ON codebuild_builds (account_id, region, seq);
        CREATE INDEX codebuild_builds_project ON codebuild_builds (account_id, region, project_name, seq);
        CREATE INDEX codebuild_builds_unfinished ON codebuild_builds (status, current_phase, seq);
        CREATE INDEX codebuild_builds_token ON codebuild_builds (account_id, region, idempotency_token) WHERE idempotency_token IS NOT NULL;
        """,
        // Which server process runs a build, and when it last said so: another server sharing the database (a `cairn build`
        // beside `cairn serve`) must not take a running build for an orphan.
        """
        ALTER TABLE codebuild_builds ADD COLUMN runner TEXT;
        ALTER TABLE codebuild_builds ADD COLUMN runner_seen_at INTEGER;
        """,
        // A pipeline's CodeBuild action: the build's input artifacts and, once stored, its outputs (JSON; NULL for other builds).
        "ALTER TABLE codebuild_builds ADD COLUMN pipeline TEXT;",
        // The dashboard's history filtered by status, of all projects or one, newest first by key.
        """
        CREATE INDEX codebuild_builds_status ON codebuild_builds (account_id, region, status, seq);
        CREATE INDEX codebuild_builds_project_status ON codebuild_builds (account_id, region, project_name, status, seq);
        """,
        // Build agents (`cairn agent`) and the one-time tokens that register them: only SHA-256 hashes of secrets.
        """
        CREATE TABLE codebuild_agent_tokens (
            token_hash TEXT PRIMARY KEY,
            account_id TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at INTEGER
        ) WITHOUT ROWID;
        CREATE TABLE codebuild_agents (
            id TEXT PRIMARY KEY,
            account_id TEXT NOT NULL,
            name TEXT NOT NULL,
            labels TEXT NOT NULL,
            secret_hash TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            revoked_at INTEGER
        ) WITHOUT ROWID;
        """,
    ]);
}
