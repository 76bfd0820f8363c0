namespace Cairn.Storage.Postgres.Keys;

/// <summary>The "keys" store's schema, <c>cairn_keys</c>. Never edit a shipped step; append one.</summary>
public static class KeyMigrations
{
    public static PostgresMigrationSet Set { get; } = new("keys",
    [
        // Key material is stored wrapped by the master key, as in SQLite; tags and rotations as JSON text. Times in Unix ms.
        """
        CREATE SCHEMA cairn_keys;
        CREATE TABLE cairn_keys.keys (
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            key_id text COLLATE "C" NOT NULL,
            description text NOT NULL,
            key_usage text NOT NULL,
            key_spec text NOT NULL,
            origin text NOT NULL,
            key_manager text NOT NULL,
            enabled boolean NOT NULL,
            policy text,
            tags text NOT NULL,
            wrapped_material bytea NOT NULL,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            deletion_date bigint,
            pending_window_days integer,
            rotation_period_days integer,
            next_rotation_date bigint,
            rotations text NOT NULL DEFAULT '[]',
            PRIMARY KEY (account_id, region, key_id));
        CREATE UNIQUE INDEX keys_key_id ON cairn_keys.keys (key_id);
        CREATE TABLE cairn_keys.aliases (
            account_id text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            alias_name text COLLATE "C" NOT NULL,
            target_key_id text COLLATE "C" NOT NULL,
            created_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            PRIMARY KEY (account_id, region, alias_name),
            FOREIGN KEY (account_id, region, target_key_id) REFERENCES cairn_keys.keys (account_id, region, key_id));
        CREATE INDEX aliases_target ON cairn_keys.aliases (account_id, region, target_key_id);
        CREATE TABLE cairn_keys.master_key_check (
            id integer PRIMARY KEY CHECK (id = 1),
            check_value bytea NOT NULL,
            created_at bigint NOT NULL);

        -- The change feed: moved by trigger in every transaction that changes a key or an alias (see cairn_parameters.generation).
        CREATE TABLE cairn_keys.generation (
            id integer PRIMARY KEY CHECK (id = 1),
            generation bigint NOT NULL);
        INSERT INTO cairn_keys.generation (id, generation) VALUES (1, 0);
        CREATE FUNCTION cairn_keys.move_generation() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            UPDATE cairn_keys.generation SET generation = generation + 1 WHERE id = 1;
            RETURN NULL;
        END
        $body$;
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_keys.keys
            FOR EACH ROW EXECUTE FUNCTION cairn_keys.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_keys.aliases
            FOR EACH ROW EXECUTE FUNCTION cairn_keys.move_generation();
        """,
    ]);
}
