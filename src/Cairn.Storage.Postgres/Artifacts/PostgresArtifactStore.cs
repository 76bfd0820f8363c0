using Cairn.Core.Archives;
using Cairn.Storage.Artifacts;
using Npgsql;

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
    public const int ChunkBytes = 1024 * 1024;

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
            await using var chunks = new ChunkWriter(session, location);
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
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new FileNotFoundException($"the artifact {location.S3Arn} does not exist in the artifact store.", location.Key);
                }

                await using var input = new ChunkStream(reader, location);
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

    /// <summary>
    /// Where <see cref="TarArchives.WriteGzipAsync"/> writes a put's archive: each full chunk inserted at once in the put's
    /// transaction (the statement has sent the buffer when it returns, so the buffer fills again), the last by
    /// <see cref="CompleteAsync"/>. Only asynchronous writes: a synchronous one would block a thread on the database.
    /// </summary>
    private sealed class ChunkWriter(PostgresSession session, ArtifactLocation location) : Stream
    {
        private readonly byte[] _buffer = new byte[ChunkBytes];
        private int _filled;

        public int Chunks { get; private set; }

        public long Bytes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Bytes;

        public override long Position
        {
            get => Bytes;
            set => throw new NotSupportedException();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (buffer.Length > 0)
            {
                var taken = Math.Min(buffer.Length, _buffer.Length - _filled);
                buffer[..taken].CopyTo(_buffer.AsMemory(_filled));
                (_filled, Bytes, buffer) = (_filled + taken, Bytes + taken, buffer[taken..]);
                if (_filled == _buffer.Length)
                {
                    await InsertAsync().ConfigureAwait(false);
                }
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("The artifact's chunks are written asynchronously only.");

        /// <summary>Inserts the last chunk, shorter than the others (none when the archive filled its chunks exactly).</summary>
        public async Task CompleteAsync()
        {
            if (_filled > 0)
            {
                await InsertAsync().ConfigureAwait(false);
            }
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private async Task InsertAsync()
        {
            await session.ExecuteAsync(
                "INSERT INTO cairn_artifacts.chunks (store, key, chunk, data) VALUES ($1, $2, $3, $4)",
                location.Store, location.Key, Chunks, _filled == _buffer.Length ? _buffer : _buffer[.._filled]).ConfigureAwait(false);
            (Chunks, _filled) = (Chunks + 1, 0);
        }
    }

    /// <summary>
    /// The archive's bytes from the rows of the extraction's query (the reader on its first row), each chunk's data read as
    /// a stream. A chunk out of order or missing, or a length that is not the head's, is <see cref="InvalidDataException"/>.
    /// </summary>
    private sealed class ChunkStream(NpgsqlDataReader reader, ArtifactLocation location) : Stream
    {
        private bool _onRow = true;
        private Stream? _data;
        private int _next;
        private int _chunks;
        private long _bytes;
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (buffer.Length > 0)
            {
                if (_data is null)
                {
                    if (!_onRow && !await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        return _next == _chunks && _position == _bytes ? 0 : throw Damaged($"it ends after {_next} of {_chunks} chunks, {_position} of {_bytes} bytes");
                    }

                    _onRow = false;
                    // Sequential access: the columns in order.
                    (_chunks, _bytes) = (reader.GetInt32(0), reader.GetInt64(1));
                    if (reader.GetInt32(2) is var chunk && chunk != _next)
                    {
                        throw Damaged($"chunk {chunk} comes where chunk {_next} belongs");
                    }

                    _next++;
                    _data = reader.GetStream(3);
                }

                var read = await _data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read > 0)
                {
                    _position += read;
                    return _position <= _bytes ? read : throw Damaged($"it holds more than its {_bytes} bytes");
                }

                await _data.DisposeAsync().ConfigureAwait(false);
                _data = null;
            }

            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>Only asynchronous reads: a synchronous one would block a thread on the database.</summary>
        public override int Read(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("The artifact's chunks are read asynchronously only.");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            if (_data is not null)
            {
                await _data.DisposeAsync().ConfigureAwait(false);
            }

            await base.DisposeAsync().ConfigureAwait(false);
        }

        private InvalidDataException Damaged(string what) =>
            new($"the artifact {location.S3Arn} in the artifact store is damaged: {what}.");
    }
}
