using System.Text;

namespace Cairn.Runner.Events;

/// <summary>
/// The end of the masking stream: cuts command output (already masked) into lines and hands each to the sink. A line
/// longer than <see cref="MaxLineBytes"/> is cut there, as CloudWatch Logs cuts events.
/// </summary>
internal sealed class LineAssembler(Action<string> line) : Stream
{
    public const int MaxLineBytes = 256 * 1024;

    private readonly MemoryStream _partial = new();

    /// <summary>Whether output has started a line that has not ended yet.</summary>
    public bool HasPartialLine => _partial.Length > 0;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var newline = buffer.IndexOf((byte)'\n');
            var room = MaxLineBytes - (int)_partial.Length;
            if (newline < 0 || newline > room)
            {
                var take = Math.Min(buffer.Length, room);
                _partial.Write(buffer[..take]);
                buffer = buffer[take..];
                if (_partial.Length >= MaxLineBytes)
                {
                    EndLine();
                }

                continue;
            }

            _partial.Write(buffer[..newline]);
            buffer = buffer[(newline + 1)..];
            EndLine();
        }
    }

    /// <summary>Ends a started line (a runner line is about to be written, or the output is over).</summary>
    public void EndPartialLine()
    {
        if (HasPartialLine)
        {
            EndLine();
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _partial.Dispose();
        }

        base.Dispose(disposing);
    }

    private void EndLine()
    {
        var text = Encoding.UTF8.GetString(_partial.GetBuffer(), 0, (int)_partial.Length);
        _partial.SetLength(0);
        line(text);
    }
}
