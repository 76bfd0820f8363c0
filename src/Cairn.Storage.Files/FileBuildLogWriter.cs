using Cairn.Storage.BuildLogs;

namespace Cairn.Storage.Files;

/// <summary>
/// Appends to one log file and its index under the log's gate: each line is written to the log at once, its index
/// record is buffered until a reader in this process asks (<see cref="FlushIndex"/>), the buffer is full or the log
/// completes, so a line costs one write. Disposing marks the log complete and flushes both files to disk.
/// </summary>
internal sealed class FileBuildLogWriter : IBuildLogWriter
{
    private readonly LogState _state;
    private readonly Action<LogState> _released;
    private readonly FileStream _log;
    private readonly FileStream _index;
    private byte[] _buffer = new byte[4096];
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
        _index = new FileStream(state.IndexPath, Options(FileMode.OpenOrCreate, 64 * 1024));
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

            _state.Signal();
            return _state.Head.Count;
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

    /// <summary>Writes the buffered index records (call under the log's gate), so readers find every line appended so far.</summary>
    public void FlushIndex()
    {
        if (!_disposed)
        {
            _index.Flush();
        }
    }

    private void AppendLine(ReadOnlySpan<char> text, long unixMs)
    {
        var head = _state.Head;
        var ms = head.Count == 0 ? unixMs : Math.Max(unixMs, head.LastMs);
        var needed = LogLine.MaxBytes(text.Length) + LogIndex.RecordSize;
        if (_buffer.Length < needed)
        {
            _buffer = new byte[Math.Max(needed, _buffer.Length * 2)];
        }

        var length = LogLine.Format(ms, text, _buffer);
        _log.Write(_buffer, 0, length);
        var end = head.Bytes + length;
        LogIndex.WriteRecord(_buffer.AsSpan(length), end, ms);
        _index.Write(_buffer, length, LogIndex.RecordSize);
        _state.Head = head with { Count = head.Count + 1, Bytes = end, FirstMs = head.Count == 0 ? ms : head.FirstMs, LastMs = ms };
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
