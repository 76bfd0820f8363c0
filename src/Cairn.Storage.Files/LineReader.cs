using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Storage.Files;

/// <summary>
/// Reads the newline-terminated lines of a file between two byte offsets, a chunk at a time, so a search or a range
/// read holds one chunk (or one line longer than it) in memory, never the file. A last line without its newline is not returned.
/// </summary>
internal sealed class LineReader : IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly SafeFileHandle _file;
    private readonly long _end;
    private readonly ReadMeter _meter;
    private byte[] _buffer;
    private long _bufferOffset;
    private int _position;
    private int _filled;

    public LineReader(SafeFileHandle file, long start, long end, ReadMeter meter)
    {
        (_file, _bufferOffset, _end, _meter) = (file, start, end, meter);
        _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(end - start, 1, ChunkSize));
    }

    /// <summary>The next line with its newline, and the offset just past it; false at the end of the range.</summary>
    public bool TryNext(out ReadOnlySpan<byte> line, out long end)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_position, _filled - _position).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = _buffer.AsSpan(_position, newline + 1);
                _position += newline + 1;
                end = _bufferOffset + _position;
                return true;
            }

            if (!Fill())
            {
                line = default;
                end = _bufferOffset + _position;
                return false;
            }
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    /// <summary>Keeps the unread part, growing the buffer for a line longer than it, and reads more; false when there is no more.</summary>
    private bool Fill()
    {
        var remaining = _end - (_bufferOffset + _filled);
        if (remaining <= 0)
        {
            return false;
        }

        var kept = _filled - _position;
        if (_position == 0 && kept == _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, kept).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        else if (_position > 0)
        {
            _buffer.AsSpan(_position, kept).CopyTo(_buffer);
            _bufferOffset += _position;
            (_position, _filled) = (0, kept);
        }

        var read = RandomAccess.Read(_file, _buffer.AsSpan(_filled, (int)Math.Min(_buffer.Length - _filled, remaining)), _bufferOffset + _filled);
        _meter.Add(read);
        _filled += read;
        return read > 0;
    }
}
