namespace Cairn.Storage.Postgres;

/// <summary>
/// Writes one content (a pipeline archive, a build's artifact file) as bytea chunks of <see cref="ChunkBytes"/> in a write
/// session's transaction: each full chunk is inserted at once (the statement has sent the buffer when it returns, so the
/// buffer fills again), the last by <see cref="CompleteAsync"/>. <c>insertChunk</c> takes the content's two key columns
/// ($1, $2), the chunk's number ($3, from 0) and its bytes ($4); the caller writes the head row (<see cref="Chunks"/>,
/// <see cref="Bytes"/>) in the same transaction, so a reader sees a whole content or none. Only asynchronous writes: a
/// synchronous one would block a thread on the database.
/// </summary>
internal sealed class ChunkWriter(PostgresSession session, string insertChunk, string first, string second) : Stream
{
    /// <summary>The bytes of every chunk but a content's last.</summary>
    public const int ChunkBytes = 1024 * 1024;

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
        throw new NotSupportedException("The content's chunks are written asynchronously only.");

    /// <summary>Inserts the last chunk, shorter than the others (none when the content filled its chunks exactly, or is empty).</summary>
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
        await session.ExecuteAsync(insertChunk, first, second, Chunks, _filled == _buffer.Length ? _buffer : _buffer[.._filled]).ConfigureAwait(false);
        (Chunks, _filled) = (Chunks + 1, 0);
    }
}
