using System.Data;
using System.Text;
using Cairn.Storage.Builds;
using Npgsql;

namespace Cairn.Storage.Postgres.Builds;

/// <summary>
/// What builds kept, in PostgreSQL (schema <c>cairn_build_files</c>), so that every server on the database shows every
/// build's buildspec and artifacts, whichever server ran it or took its agent's upload. The buildspec is UTF-8 bytes; each
/// artifact file is <see cref="ChunkWriter.ChunkBytes"/> bytea chunks and a head row, and a build's whole set is written
/// in one transaction (a reader sees the old set or the new one), streamed from the files without holding one in memory.
/// A download streams the chunks from one query (one snapshot) on a connection the returned stream holds until disposed.
/// </summary>
public sealed class PostgresBuildFileStore(PostgresDatabase database) : IBuildFileStore
{
    /// <summary>The "build_files" store's schema steps. Append only.</summary>
    public static PostgresMigrationSet Migrations { get; } = new("build_files",
    [
        """
        CREATE SCHEMA cairn_build_files;
        CREATE TABLE cairn_build_files.buildspecs (
            build_uuid text COLLATE "C" PRIMARY KEY,
            data bytea NOT NULL,
            saved_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE cairn_build_files.artifacts (
            build_uuid text COLLATE "C" NOT NULL,
            path text COLLATE "C" NOT NULL,
            chunks integer NOT NULL,
            bytes bigint NOT NULL,
            PRIMARY KEY (build_uuid, path));
        CREATE TABLE cairn_build_files.chunks (
            build_uuid text COLLATE "C" NOT NULL,
            path text COLLATE "C" NOT NULL,
            chunk integer NOT NULL,
            data bytea NOT NULL,
            PRIMARY KEY (build_uuid, path, chunk));
        """,
    ]);

    public Task SaveBuildspecAsync(string uuid, string text, CancellationToken cancellationToken)
    {
        BuildFileNames.CheckUuid(uuid);
        ArgumentNullException.ThrowIfNull(text);
        return database.WriteAsync(session => session.ExecuteAsync(
            "INSERT INTO cairn_build_files.buildspecs (build_uuid, data) VALUES ($1, $2) ON CONFLICT (build_uuid) DO UPDATE SET data = EXCLUDED.data, saved_at = now()",
            uuid, Encoding.UTF8.GetBytes(text)), cancellationToken);
    }

    public Task<KeptBuildspec?> FindBuildspecAsync(string uuid, int maxBytes, CancellationToken cancellationToken)
    {
        BuildFileNames.CheckUuid(uuid);
        return database.ReadAsync(session => session.QuerySingleAsync(
            "SELECT octet_length(data), CASE WHEN octet_length(data) <= $2 THEN data END FROM cairn_build_files.buildspecs WHERE build_uuid = $1",
            row => new KeptBuildspec(row.GetInt32(0), row.IsDBNull(1) ? null : Encoding.UTF8.GetString(row.GetFieldValue<byte[]>(1))),
            uuid, maxBytes), cancellationToken);
    }

    public async Task<bool> KeepArtifactsAsync(string uuid, string directory, CancellationToken cancellationToken)
    {
        BuildFileNames.CheckUuid(uuid);
        await database.WriteAsync(async session =>
        {
            await DeleteArtifactsAsync(session, uuid).ConfigureAwait(false);
            foreach (var (path, file) in BuildFileNames.RegularFiles(directory))
            {
                await using var chunks = new ChunkWriter(session, "INSERT INTO cairn_build_files.chunks (build_uuid, path, chunk, data) VALUES ($1, $2, $3, $4)", uuid, path);
                await using (var input = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
                {
                    await input.CopyToAsync(chunks, cancellationToken).ConfigureAwait(false);
                }

                await chunks.CompleteAsync().ConfigureAwait(false);
                await session.ExecuteAsync(
                    "INSERT INTO cairn_build_files.artifacts (build_uuid, path, chunks, bytes) VALUES ($1, $2, $3, $4)",
                    uuid, path, chunks.Chunks, chunks.Bytes).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
        return false;
    }

    public async Task<IReadOnlyList<BuildArtifactFile>> ListArtifactsAsync(string uuid, int max, CancellationToken cancellationToken)
    {
        BuildFileNames.CheckUuid(uuid);
        return await database.ReadAsync(session => session.QueryAsync(
            "SELECT path, bytes FROM cairn_build_files.artifacts WHERE build_uuid = $1 ORDER BY path LIMIT $2",
            row => new BuildArtifactFile(row.GetString(0), row.GetInt64(1)), uuid, max), cancellationToken).ConfigureAwait(false);
    }

    public async Task<BuildArtifactStream?> OpenArtifactAsync(string uuid, string path, CancellationToken cancellationToken)
    {
        BuildFileNames.CheckUuid(uuid);
        ArgumentNullException.ThrowIfNull(path);
        var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
#pragma warning disable CA2000 // handed over: the stream owns the command and its connection, the caller the stream; the catch disposes what was not
        var command = new NpgsqlCommand(
            "SELECT a.chunks, a.bytes, c.chunk, c.data FROM cairn_build_files.artifacts a LEFT JOIN cairn_build_files.chunks c "
            + "ON c.build_uuid = a.build_uuid AND c.path = a.path WHERE a.build_uuid = $1 AND a.path = $2 ORDER BY c.chunk",
            connection)
        {
            Parameters = { new NpgsqlParameter { Value = uuid }, new NpgsqlParameter { Value = path } },
        };
        ChunkStream? content = null;
        try
        {
            content = new ChunkStream(
                await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false), $"the artifact file {path} of build {uuid}", command);
            if (await content.StartAsync(cancellationToken).ConfigureAwait(false))
            {
                return new BuildArtifactStream(content.Length, content);
            }
        }
        catch
        {
            if (content is not null)
            {
                await content.DisposeAsync().ConfigureAwait(false);
            }

            await command.DisposeAsync().ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
#pragma warning restore CA2000

        await content.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    public Task DeleteAsync(string uuid, CancellationToken cancellationToken)
    {
        BuildFileNames.CheckUuid(uuid);
        return database.WriteAsync(async session =>
        {
            await session.ExecuteAsync("DELETE FROM cairn_build_files.buildspecs WHERE build_uuid = $1", uuid).ConfigureAwait(false);
            await DeleteArtifactsAsync(session, uuid).ConfigureAwait(false);
        }, cancellationToken);
    }

    private static async Task DeleteArtifactsAsync(PostgresSession session, string uuid)
    {
        await session.ExecuteAsync("DELETE FROM cairn_build_files.artifacts WHERE build_uuid = $1", uuid).ConfigureAwait(false);
        await session.ExecuteAsync("DELETE FROM cairn_build_files.chunks WHERE build_uuid = $1", uuid).ConfigureAwait(false);
    }
}
