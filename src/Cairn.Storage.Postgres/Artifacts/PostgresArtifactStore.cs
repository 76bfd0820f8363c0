using Cairn.Core.Archives;
using Cairn.Storage.Artifacts;

namespace Cairn.Storage.Postgres.Artifacts;

/// <summary>
/// Pipeline artifacts in PostgreSQL (schema <c>cairn_artifacts</c>), so that every server on the database reads every
/// archive, whichever server's worker or agent stored it. An archive is the gzipped tar <see cref="TarArchives"/> writes,
/// kept as <see cref="ChunkBytes"/> bytea chunks keyed (store, key, chunk) and a head row written in the same transaction
/// as the chunks, so a reader sees a whole archive or none. Neither direction holds an archive in memory, nor writes it to
/// a temporary file: a put packs straight into its transaction, a chunk per statement as the gzip fills it; an extraction
/// streams the chunks in order from one query (one snapshot, so a deletion meanwhile cannot cut it short) into
/// <see cref="TarArchives.ExtractGzipAsync"/>.
/// Names are checked as every artifact store checks them (<see cref="ArtifactNames"/>).
/// </summary>
public sealed class PostgresArtifactStore(PostgresDatabase database) : IArtifactStore
{
    /// <summary>The bytes of every chunk but an archive's last.</summary>
    public const int ChunkBytes = ChunkWriter.ChunkBytes;

    /// <summary>The "artifacts" store's schema steps. Append only.</summary>
    public static PostgresMigrationSet Migrations { get; } = new("artifacts",
    [
        // Chunks are gzip, which PostgreSQL's own compression cannot shrink: EXTERNAL stores them out of line without trying.
        """
        CREATE SCHEMA cairn_artifacts;
        CREATE TABLE cairn_artifacts.archives (
            store text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            chunks integer NOT NULL,
            bytes bigint NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (store, key));
        CREATE TABLE cairn_artifacts.chunks (
            store text COLLATE "C" NOT NULL,
            key text COLLATE "C" NOT NULL,
            chunk integer NOT NULL,
            data bytea NOT NULL,
            PRIMARY KEY (store, key, chunk));
        ALTER TABLE cairn_artifacts.chunks ALTER COLUMN data SET STORAGE EXTERNAL;
        """,
    ]);

    public async Task<ArtifactLocation> PutDirectoryAsync(string store, string keyPrefix, string directory, CancellationToken cancellationToken)
    {
        ArtifactNames.CheckStore(store);
        var location = new ArtifactLocation(store, ArtifactNames.NewKey(keyPrefix));
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"cannot store '{directory}' as an artifact: it is not a directory.");
        }

        await database.WriteAsync(async session =>
        {
            await using var chunks = new ChunkWriter(session, "INSERT INTO cairn_artifacts.chunks (store, key, chunk, data) VALUES ($1, $2, $3, $4)", location.Store, location.Key);
            await TarArchives.WriteGzipAsync(directory, chunks, cancellationToken).ConfigureAwait(false);
            await chunks.CompleteAsync().ConfigureAwait(false);
            await session.ExecuteAsync(
                "INSERT INTO cairn_artifacts.archives (store, key, chunks, bytes) VALUES ($1, $2, $3, $4)",
                location.Store, location.Key, chunks.Chunks, chunks.Bytes).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return location;
    }

    public Task ExtractAsync(ArtifactLocation location, string directory, CancellationToken cancellationToken)
    {
        ArtifactNames.Check(location);
        return database.ReadAsync(session => session.StreamAsync(
            "SELECT a.chunks, a.bytes, c.chunk, c.data FROM cairn_artifacts.archives a "
            + "JOIN cairn_artifacts.chunks c ON c.store = a.store AND c.key = a.key WHERE a.store = $1 AND a.key = $2 ORDER BY c.chunk",
            async reader =>
            {
                await using var input = new ChunkStream(reader, $"the artifact {location.S3Arn} in the artifact store");
                if (!await input.StartAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new FileNotFoundException($"the artifact {location.S3Arn} does not exist in the artifact store.", location.Key);
                }

                await TarArchives.ExtractGzipAsync(input, directory, cancellationToken).ConfigureAwait(false);
                return true;
            },
            location.Store, location.Key), cancellationToken);
    }

    public Task<bool> ExistsAsync(ArtifactLocation location, CancellationToken cancellationToken)
    {
        ArtifactNames.Check(location);
        return database.ReadAsync(session => session.QuerySingleAsync(
            "SELECT true FROM cairn_artifacts.archives WHERE store = $1 AND key = $2", row => row.GetBoolean(0), location.Store, location.Key), cancellationToken);
    }

    public Task DeletePrefixAsync(string store, string keyPrefix, CancellationToken cancellationToken)
    {
        ArtifactNames.CheckStore(store);
        ArtifactNames.CheckDeletePrefix(keyPrefix);
        // Keys may hold '_', LIKE's one-character wildcard: the prefix is matched as text, its wildcards escaped.
        var pattern = keyPrefix.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
        return database.WriteAsync(async session =>
        {
            await session.ExecuteAsync(@"DELETE FROM cairn_artifacts.archives WHERE store = $1 AND key LIKE $2 ESCAPE '\'", store, pattern).ConfigureAwait(false);
            await session.ExecuteAsync(@"DELETE FROM cairn_artifacts.chunks WHERE store = $1 AND key LIKE $2 ESCAPE '\'", store, pattern).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ArtifactExecution>> ListExecutionsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ArtifactExecution>>(async session => await session.QueryAsync(
            "SELECT DISTINCT store, split_part(key, '/', 1), split_part(key, '/', 2) FROM cairn_artifacts.archives WHERE key LIKE '%/%/%'",
            row => new ArtifactExecution(row.GetString(0), row.GetString(1), row.GetString(2))).ConfigureAwait(false), cancellationToken);
}
