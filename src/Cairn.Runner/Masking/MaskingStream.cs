using Cairn.Runner.IO;

namespace Cairn.Runner.Masking;

/// <summary>
/// A write-only stream that masks secrets before passing bytes on. A secret split across several writes is still
/// masked: the stream holds back only the trailing bytes that are a prefix of some secret form and releases them
/// once the next write decides them, or at <see cref="Complete"/>. Writes from several threads are serialized.
/// </summary>
/// <remarks><see cref="Flush"/> flushes what has been decided; only <see cref="Complete"/> (or disposing) releases
/// the held-back tail, because until then it may still become a secret.</remarks>
public sealed class MaskingStream : WriteOnlyStream
{
    private readonly SecretMasker _masker;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly Lock _gate = new();
    private byte[] _held = new byte[256];
    private int _heldCount;
    private int _rangeEnd = -1;
    private bool _completed;

    internal MaskingStream(SecretMasker masker, Stream inner, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _masker = masker;
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Bytes written but not yet passed on because they might still become part of a secret.</summary>
    public int HeldBackCount
    {
        get
        {
            lock (_gate)
            {
                return _heldCount;
            }
        }
    }

    public override bool CanWrite => !_completed;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            var index = _masker.Index;
            if (_heldCount == 0)
            {
                if (index.PatternCount == 0)
                {
                    _inner.Write(buffer);
                    return;
                }

                var consumed = index.Scan(buffer, final: false, ref _rangeEnd, _inner);
                Hold(buffer[consumed..]);
                return;
            }

            EnsureHeldCapacity(_heldCount + buffer.Length);
            buffer.CopyTo(_held.AsSpan(_heldCount));
            _heldCount += buffer.Length;
            var used = index.Scan(_held.AsSpan(0, _heldCount), final: false, ref _rangeEnd, _inner);
            _held.AsSpan(used, _heldCount - used).CopyTo(_held);
            _heldCount -= used;
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Decides the held-back tail now, as if the output ended here, and passes it on; the stream stays open. For a point
    /// where output is known to break (a new line of the runner's own starts), so a secret cannot span it.
    /// </summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_completed || _heldCount == 0)
            {
                return;
            }

            _masker.Index.Scan(_held.AsSpan(0, _heldCount), final: true, ref _rangeEnd, _inner);
            _heldCount = 0;
            _rangeEnd = -1;
        }
    }

    /// <summary>Releases the held-back tail (no more output will follow) and flushes the inner stream.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            if (_heldCount > 0)
            {
                _masker.Index.Scan(_held.AsSpan(0, _heldCount), final: true, ref _rangeEnd, _inner);
                _heldCount = 0;
            }

            _rangeEnd = -1;
            _completed = true;
            _inner.Flush();
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            _inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Complete();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void Hold(ReadOnlySpan<byte> tail)
    {
        EnsureHeldCapacity(tail.Length);
        tail.CopyTo(_held);
        _heldCount = tail.Length;
    }

    private void EnsureHeldCapacity(int needed)
    {
        if (_held.Length < needed)
        {
            Array.Resize(ref _held, Math.Max(needed, _held.Length * 2));
        }
    }
}
