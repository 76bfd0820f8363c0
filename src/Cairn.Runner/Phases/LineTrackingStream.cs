namespace Cairn.Runner.Phases;

/// <summary>Passes writes on and remembers whether the last byte written was a newline.</summary>
internal sealed class LineTrackingStream(Stream inner) : Stream
{
    private volatile bool _atLineStart = true;

    public bool AtLineStart => _atLineStart;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return;
        }

        inner.Write(buffer);
        _atLineStart = buffer[^1] == (byte)'\n';
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
