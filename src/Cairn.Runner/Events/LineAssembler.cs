using Cairn.Runner.IO;

namespace Cairn.Runner.Events;

/// <summary>
/// The end of the masking stream: gathers command output (already masked) into whole lines, end to end, which the sink
/// takes as one block after each chunk (<see cref="TakeBlock"/>); a started line waits for its end. A line longer than
/// <see cref="MaxLineBytes"/> is cut there (a newline is put in), as CloudWatch Logs cuts events.
/// </summary>
internal sealed class LineAssembler : WriteOnlyStream
{
    public const int MaxLineBytes = 256 * 1024;

    private byte[] _buffer = new byte[64 * 1024];
    private int _used;
    private int _complete;
    private int _lines;
    private bool _taken;

    /// <summary>Whether output has started a line that has not ended yet.</summary>
    public bool HasPartialLine => _used > _complete;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Compact();
        if (_used - _complete + buffer.Length < MaxLineBytes)
        {
            // The common case (a chunk of short lines): no line can reach the limit, so the chunk goes in whole.
            Append(buffer);
            var last = buffer.LastIndexOf((byte)'\n');
            if (last >= 0)
            {
                _lines += buffer.Count((byte)'\n');
                _complete = _used - buffer.Length + last + 1;
            }

            return;
        }

        while (!buffer.IsEmpty)
        {
            var newline = buffer.IndexOf((byte)'\n');
            var room = MaxLineBytes - (_used - _complete);
            if (newline < 0 || newline > room)
            {
                var take = Math.Min(buffer.Length, room);
                Append(buffer[..take]);
                buffer = buffer[take..];
                if (_used - _complete >= MaxLineBytes)
                {
                    EndLine();
                }

                continue;
            }

            Append(buffer[..(newline + 1)]);
            buffer = buffer[(newline + 1)..];
            _complete = _used;
            _lines++;
        }
    }

    /// <summary>Ends a started line (a runner line is about to be written, or the output is over).</summary>
    public void EndPartialLine()
    {
        if (HasPartialLine)
        {
            Compact();
            EndLine();
        }
    }

    /// <summary>
    /// The whole lines gathered since the last call, each ending in '\n', and how many; empty when none. The bytes are
    /// valid until the next write.
    /// </summary>
    public (ReadOnlyMemory<byte> Bytes, int Lines) TakeBlock()
    {
        Compact();
        if (_lines == 0)
        {
            return (ReadOnlyMemory<byte>.Empty, 0);
        }

        var block = (new ReadOnlyMemory<byte>(_buffer, 0, _complete), _lines);
        _taken = true;
        return block;
    }

    public override void Flush()
    {
    }

    /// <summary>Drops a block already taken: the started line moves to the front.</summary>
    private void Compact()
    {
        if (!_taken)
        {
            return;
        }

        _taken = false;
        _buffer.AsSpan(_complete, _used - _complete).CopyTo(_buffer);
        _used -= _complete;
        _complete = 0;
        _lines = 0;
    }

    private void EndLine()
    {
        Append("\n"u8);
        _complete = _used;
        _lines++;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + bytes.Length));
        }

        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }
}
