using System.Text;

namespace Cairn.Runner.Phases;

/// <summary>Passes one command's output on and keeps its last few kilobytes for diagnostics.</summary>
internal sealed class OutputTail(Stream inner) : Stream
{
    private const int Capacity = 16 * 1024;
    private readonly Lock _lock = new();
    private readonly byte[] _tail = new byte[Capacity];
    private long _written;

    public string Text
    {
        get
        {
            lock (_lock)
            {
                var count = (int)Math.Min(_written, Capacity);
                var start = (int)(_written % Capacity);
                var bytes = new byte[count];
                if (_written <= Capacity)
                {
                    _tail.AsSpan(0, count).CopyTo(bytes);
                }
                else
                {
                    _tail.AsSpan(start).CopyTo(bytes);
                    _tail.AsSpan(0, start).CopyTo(bytes.AsSpan(Capacity - start));
                }

                return Encoding.UTF8.GetString(bytes);
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        lock (_lock)
        {
            var keep = buffer.Length > Capacity ? buffer[^Capacity..] : buffer;
            _written += buffer.Length - keep.Length;
            var position = (int)(_written % Capacity);
            var first = Math.Min(keep.Length, Capacity - position);
            keep[..first].CopyTo(_tail.AsSpan(position));
            keep[first..].CopyTo(_tail);
            _written += keep.Length;
        }
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
