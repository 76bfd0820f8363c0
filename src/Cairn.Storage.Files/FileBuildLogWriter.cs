using Cairn.Storage.BuildLogs;

namespace Cairn.Storage.Files;

/// <summary>
/// Appends to one log file and its index under the log's gate. Lines and their index records are buffered here and
/// written together (the log's bytes first, then the records that point into them): at once for
/// <see cref="Append"/>; for <see cref="AppendBatched"/> when the writer is flushed (after each batch of a build's
/// output), a reader in this process asks, the buffer holds 64 KiB or the log completes, so a batch of lines costs
/// two writes, not one per line. Disposing marks the log complete and
/// flushes both files to disk.
/// </summary>
internal sealed class FileBuildLogWriter : IBuildLogWriter
{
    private readonly LogState _state;
    private readonly Action<LogState> _released;
    private readonly FileStream _log;
    private readonly FileStream _index;
    private const int FlushAt = 64 * 1024;

    private byte[] _lines = new byte[FlushAt + 4096];
    private byte[] _records = new byte[(FlushAt / 8) + LogIndex.RecordSize];
    private int _linesUsed;
    private int _recordsUsed;
    private bool _disposed;

    /// <summary>
    /// Opens the files of <paramref name="state"/> (under its gate, its head current) and marks the log incomplete;
    /// <paramref name="released"/> is told when the log is complete.
    /// </summary>
    public FileBuildLogWriter(LogState state, Action<LogState> released)
    {
        (_state, _released) = (state, released);
        _log = new FileStream(state.LogPath, Options(FileMode.Append, 0));
        if (_log.Length > state.Head.Bytes)
        {
            // A torn last line (a crash mid-write) ends here, so the next line starts on its own.
            _log.Write("\n"u8);
            state.Refresh(new ReadMeter());
        }

        // Records past the head (a torn one, or an index left by a deleted log) are cut: the next record goes at the head.
        _index = new FileStream(state.IndexPath, Options(FileMode.OpenOrCreate, 0));
        _index.SetLength(LogIndex.Position(state.Head.Count));
        _index.Position = LogIndex.Position(state.Head.Count);
        LogIndex.WriteFlags(state.IndexPath, complete: false);
        state.Head = state.Head with { Complete = false };
        state.Exists = true;
        state.Writer = this;
    }

    public long Count
    {
        get
        {
            lock (_state.Gate)
            {
                return _state.Head.Count;
            }
        }
    }

    public long Append(string line, DateTimeOffset timestamp)
    {
        lock (_state.Gate)
        {
            AppendBatched(line, timestamp);
            Flush();
            return _state.Head.Count;
        }
    }

    public long AppendBatched(string line, DateTimeOffset timestamp)
    {
        lock (_state.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var text = line.AsSpan();
            while (true)
            {
                var newline = text.IndexOf('\n');
                AppendLine(newline < 0 ? text : text[..newline], timestamp.ToUnixTimeMilliseconds());
                if (newline < 0)
                {
                    break;
                }

                text = text[(newline + 1)..];
            }

            return _state.Head.Count;
        }
    }

    /// <summary>
    /// The block's lines go into the log as they are (each after its time and a tab) and their index records are
    /// computed over the block: no line is decoded.
    /// </summary>
    public long AppendBlock(ReadOnlySpan<byte> lines, DateTimeOffset timestamp)
    {
        lock (_state.Gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (lines.IsEmpty)
            {
                return _state.Head.Count;
            }

            // Every line of the block has the same time: its prefix is formatted once and copied, and the head is kept
            // in locals and stored when the buffers are written and at the end (readers take the gate we hold).
            var head = _state.Head;
            var ms = head.Count == 0 ? timestamp.ToUnixTimeMilliseconds() : Math.Max(timestamp.ToUnixTimeMilliseconds(), head.LastMs);
            Span<byte> prefix = stackalloc byte[21];
            ms.TryFormat(prefix, out var prefixLength, default, System.Globalization.CultureInfo.InvariantCulture);
            prefix[prefixLength++] = (byte)'\t';
            prefix = prefix[..prefixLength];
            var (count, bytes, firstMs) = (head.Count, head.Bytes, head.Count == 0 ? ms : head.FirstMs);
            while (!lines.IsEmpty)
            {
                var newline = lines.IndexOf((byte)'\n');
                var text = newline < 0 ? lines : lines[..newline];
                lines = newline < 0 ? default : lines[(newline + 1)..];
                var length = prefixLength + text.Length + 1;
                if (_linesUsed + length > _lines.Length || _recordsUsed + LogIndex.RecordSize > _records.Length)
                {
                    _state.Head = head with { Count = count, Bytes = bytes, FirstMs = firstMs, LastMs = ms };
                    WritePending();
                    if (length > _lines.Length)
                    {
                        _lines = new byte[length];
                    }
                }

                var line = _lines.AsSpan(_linesUsed, length);
                prefix.CopyTo(line);
                text.CopyTo(line[prefixLength..]);
                line[^1] = (byte)'\n';
                _linesUsed += length;
                bytes += length;
                count++;
                LogIndex.WriteRecord(_records.AsSpan(_recordsUsed), bytes, ms);
                _recordsUsed += LogIndex.RecordSize;
            }

            _state.Head = head with { Count = count, Bytes = bytes, FirstMs = firstMs, LastMs = ms };
            if (_linesUsed >= FlushAt)
            {
                WritePending();
            }

            return count;
        }
    }

    public ValueTask DisposeAsync()
    {
        Complete();
        return ValueTask.CompletedTask;
    }

    /// <summary>Flushes both files to disk and marks the log complete; nothing more can be appended.</summary>
    public void Complete()
    {
        lock (_state.Gate)
        {
            if (_disposed)
            {
                return;
            }

            WritePending();
            _disposed = true;
            _log.Flush(flushToDisk: true);
            _index.Flush(flushToDisk: true);
            _log.Dispose();
            _index.Dispose();
            LogIndex.WriteFlags(_state.IndexPath, complete: true);
            _state.Head = _state.Head with { Complete = true };
            _state.Writer = null;
            _state.Signal();
            _released(_state);
        }
    }

    /// <summary>Writes the buffered lines and their index records, so readers in any process find every line appended so far, and wakes followers.</summary>
    public void Flush()
    {
        lock (_state.Gate)
        {
            if (!_disposed && (_linesUsed > 0 || _recordsUsed > 0))
            {
                WritePending();
                _state.Signal();
            }
        }
    }

    private void WritePending()
    {
        // The log's bytes before the records that point into them: a reader never finds a record past the log's end.
        if (_linesUsed > 0)
        {
            _log.Write(_lines, 0, _linesUsed);
            _linesUsed = 0;
        }

        if (_recordsUsed > 0)
        {
            _index.Write(_records, 0, _recordsUsed);
            _recordsUsed = 0;
        }
    }

    private void AppendLine(ReadOnlySpan<char> text, long unixMs)
    {
        var ms = Reserve(LogLine.MaxBytes(text.Length), unixMs);
        Commit(LogLine.Format(ms, text, _lines.AsSpan(_linesUsed)), ms);
    }

    private void AppendLine(ReadOnlySpan<byte> text, long unixMs)
    {
        var ms = Reserve(LogLine.MaxBytes(text), unixMs);
        Commit(LogLine.Format(ms, text, _lines.AsSpan(_linesUsed)), ms);
    }

    /// <summary>Makes room for a line of at most <paramref name="needed"/> bytes; returns the time it is stored with (never before the last).</summary>
    private long Reserve(int needed, long unixMs)
    {
        if (_linesUsed + needed > _lines.Length || _recordsUsed + LogIndex.RecordSize > _records.Length)
        {
            WritePending();
            if (needed > _lines.Length)
            {
                _lines = new byte[needed];
            }
        }

        var head = _state.Head;
        return head.Count == 0 ? unixMs : Math.Max(unixMs, head.LastMs);
    }

    /// <summary>Counts the line of <paramref name="length"/> bytes just formatted at the buffer's end, with its index record.</summary>
    private void Commit(int length, long ms)
    {
        var head = _state.Head;
        _linesUsed += length;
        var end = head.Bytes + length;
        LogIndex.WriteRecord(_records.AsSpan(_recordsUsed), end, ms);
        _recordsUsed += LogIndex.RecordSize;
        _state.Head = head with { Count = head.Count + 1, Bytes = end, FirstMs = head.Count == 0 ? ms : head.FirstMs, LastMs = ms };
        if (_linesUsed >= FlushAt)
        {
            WritePending();
        }
    }

    private static FileStreamOptions Options(FileMode mode, int bufferSize) => new()
    {
        Mode = mode,
        Access = FileAccess.Write,
        Share = FileShare.ReadWrite | FileShare.Delete,
        BufferSize = bufferSize,
        UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
    };
}
