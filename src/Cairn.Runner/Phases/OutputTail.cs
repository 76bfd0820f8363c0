using System.Text;
using Cairn.Runner.IO;

namespace Cairn.Runner.Phases;

/// <summary>Passes one command's output on and keeps its last few kilobytes for diagnostics.</summary>
internal sealed class OutputTail(Stream inner) : WriteOnlyStream
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
}
