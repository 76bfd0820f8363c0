namespace Cairn.Storage.Postgres.Parameters;

/// <summary>The "parameters" store's schema, <c>cairn_parameters</c>. Never edit a shipped step; append one.</summary>
public static class ParameterMigrations
{
    public static PostgresMigrationSet Set { get; } = new("parameters",
    [
        // Keys, labels and tag keys compare byte-wise (COLLATE "C"), as SQLite compares them: listings page in one order on both.
        // Times are Unix milliseconds, as in SQLite.
        """
        CREATE SCHEMA cairn_parameters;
        CREATE TABLE cairn_parameters.parameters (
            account text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            name text NOT NULL,
            version bigint NOT NULL,
            tier text NOT NULL,
            expires_at bigint,
            PRIMARY KEY (account, region, key));
        CREATE INDEX parameters_expiry ON cairn_parameters.parameters (expires_at) WHERE expires_at IS NOT NULL;
        CREATE TABLE cairn_parameters.versions (
            account text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            version bigint NOT NULL,
            type text NOT NULL,
            value text NOT NULL,
            key_id text,
            description text,
            allowed_pattern text,
            data_type text NOT NULL,
            tier text NOT NULL,
            policies text,
            modified_at bigint NOT NULL,
            modified_by text NOT NULL,
            PRIMARY KEY (account, region, key, version),
            FOREIGN KEY (account, region, key) REFERENCES cairn_parameters.parameters (account, region, key) ON DELETE CASCADE);
        CREATE TABLE cairn_parameters.labels (
            account text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            label text COLLATE "C" NOT NULL,
            version bigint NOT NULL,
            PRIMARY KEY (account, region, key, label),
            FOREIGN KEY (account, region, key, version) REFERENCES cairn_parameters.versions (account, region, key, version) ON DELETE CASCADE);
        CREATE INDEX labels_version ON cairn_parameters.labels (account, region, key, version);
        CREATE TABLE cairn_parameters.tags (
            account text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            tag_key text COLLATE "C" NOT NULL,
            tag_value text NOT NULL,
            PRIMARY KEY (account, region, key, tag_key),
            FOREIGN KEY (account, region, key) REFERENCES cairn_parameters.parameters (account, region, key) ON DELETE CASCADE);

        -- Per-tier counts kept by a trigger, so the tier limit check on a new parameter is one row read, not a scan.
        CREATE TABLE cairn_parameters.tier_counts (
            account text COLLATE "C" NOT NULL,
            region text COLLATE "C" NOT NULL,
            tier text NOT NULL,
            count bigint NOT NULL,
            PRIMARY KEY (account, region, tier));
        CREATE FUNCTION cairn_parameters.count_tiers() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.tier = NEW.tier THEN
                RETURN NULL;
            END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                UPDATE cairn_parameters.tier_counts SET count = count - 1
                    WHERE account = OLD.account AND region = OLD.region AND tier = OLD.tier;
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                INSERT INTO cairn_parameters.tier_counts AS c (account, region, tier, count) VALUES (NEW.account, NEW.region, NEW.tier, 1)
                    ON CONFLICT (account, region, tier) DO UPDATE SET count = c.count + 1;
            END IF;
            RETURN NULL;
        END
        $body$;
        CREATE TRIGGER count_tiers AFTER INSERT OR DELETE OR UPDATE OF tier ON cairn_parameters.parameters
            FOR EACH ROW EXECUTE FUNCTION cairn_parameters.count_tiers();

        -- The change feed: one number, moved by trigger in the transaction of every change to a parameter or a version,
        -- whichever server makes it. Its row lock orders the moves as the commits, so the number a reader sees never
        -- skips a change that commits later.
        CREATE TABLE cairn_parameters.generation (
            id integer PRIMARY KEY CHECK (id = 1),
            generation bigint NOT NULL);
        INSERT INTO cairn_parameters.generation (id, generation) VALUES (1, 0);
        CREATE FUNCTION cairn_parameters.move_generation() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            UPDATE cairn_parameters.generation SET generation = generation + 1 WHERE id = 1;
            RETURN NULL;
        END
        $body$;
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_parameters.parameters
            FOR EACH ROW EXECUTE FUNCTION cairn_parameters.move_generation();
        CREATE TRIGGER move_generation AFTER INSERT OR UPDATE OR DELETE ON cairn_parameters.versions
            FOR EACH ROW EXECUTE FUNCTION cairn_parameters.move_generation();
        """,

        // No change feed (docs/adr/0005-postgresql-storage.md, "Parameter writes"): its one row was locked by every changing
        // transaction of every account until its commit, so parameter writes committed one at a time. No PostgreSQL
        // server caches parameters; every read asks the database, which costs the round trip a check of the number cost.
        """
        DROP TRIGGER move_generation ON cairn_parameters.parameters;
        DROP TRIGGER move_generation ON cairn_parameters.versions;
        DROP FUNCTION cairn_parameters.move_generation();
        DROP TABLE cairn_parameters.generation;
        """,
    ]);
}
