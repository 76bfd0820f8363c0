using Npgsql;

namespace Cairn.Storage.Postgres;

/// <summary>
/// One content's bytes read back from the rows of one query in sequential access (<see cref="PostgresSession.StreamAsync{T}"/>),
/// whose columns are the head's chunk count and byte count, then the chunk's number and data, ordered by chunk. A content
/// with no chunks (an empty file) comes as one row whose chunk is NULL (a LEFT JOIN). <see cref="StartAsync"/> reads the
/// head; each chunk's data is then read as a stream, never held whole. A chunk out of order or missing, or a length that is
/// not the head's, is <see cref="InvalidDataException"/> naming <c>content</c>. When given its command, the stream owns it:
/// disposing the stream closes the reader, the command and the command's connection.
/// </summary>
internal sealed class ChunkStream(NpgsqlDataReader reader, string content, NpgsqlCommand? owned = null) : Stream
{
    private bool _onFirstRow;
    private bool _released;
    private bool _ended;
    private Stream? _data;
    private int _next;
    private int _chunks;
    private long _bytes;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    /// <summary>The content's length in bytes, as its head row gives it (after <see cref="StartAsync"/>).</summary>
    public override long Length => _bytes;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Reads the head from the first row; false when the query found no such content.</summary>
    public async Task<bool> StartAsync(CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // Sequential access: the columns in order.
        (_chunks, _bytes, _onFirstRow) = (reader.GetInt32(0), reader.GetInt64(1), true);
        return true;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0 && !_ended)
        {
            if (_data is null)
            {
                if (!_onFirstRow && !await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    _ended = true;
                    break;
                }

                _onFirstRow = false;
                if (await reader.IsDBNullAsync(2, cancellationToken).ConfigureAwait(false))
                {
                    _ended = true;
                    break;
                }

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

        return buffer.Length == 0 || (_next == _chunks && _position == _bytes) ? 0 : throw Damaged($"it ends after {_next} of {_chunks} chunks, {_position} of {_bytes} bytes");
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Only asynchronous reads: a synchronous one would block a thread on the database.</summary>
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The content's chunks are read asynchronously only.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_released)
        {
            _released = true;
            if (_data is not null)
            {
                await _data.DisposeAsync().ConfigureAwait(false);
            }

            if (owned is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
                var connection = owned.Connection;
                await owned.DisposeAsync().ConfigureAwait(false);
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_released)
        {
            _released = true;
            _data?.Dispose();
            if (owned is not null)
            {
                reader.Dispose();
                var connection = owned.Connection;
                owned.Dispose();
                connection?.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private InvalidDataException Damaged(string what) => new($"{content} is damaged: {what}.");
}
