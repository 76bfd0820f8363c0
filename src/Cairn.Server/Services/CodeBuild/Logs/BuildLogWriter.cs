using System.Globalization;
using System.Text;

namespace Cairn.Server.Services.CodeBuild.Logs;

/// <summary>
/// A write-only stream that turns a build's (already masked) output into log events: each complete line is appended
/// to the log file with the time it arrived, and readers following the build are woken. A last unterminated line is
/// written when the stream is completed.
/// </summary>
internal sealed class BuildLogWriter : Stream
{
    private readonly FileStream _file;
    private readonly TimeProvider _time;
    private readonly Action _changed;
    private readonly Action<string>? _onLine;
    private readonly Lock _gate = new();
    private readonly MemoryStream _partial = new();
    private bool _completed;

    public BuildLogWriter(string path, TimeProvider time, Action changed, Action<string>? onLine = null)
    {
        _onLine = onLine;
        _file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Append,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        _time = time;
        _changed = changed;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var wrote = false;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            while (buffer.Length > 0)
            {
                var newline = buffer.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    _partial.Write(buffer);
                    break;
                }

                _partial.Write(buffer[..newline]);
                WriteEvent();
                wrote = true;
                buffer = buffer[(newline + 1)..];
            }

            if (wrote)
            {
                _file.Flush();
            }
        }

        if (wrote)
        {
            _changed();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes "[Container] ..."-style lines of Cairn's own (already free of secrets).</summary>
    public void WriteLine(string text) => Write(Encoding.UTF8.GetBytes(text + "\n"));

    /// <summary>Writes the last unterminated line, if any; nothing more can be written.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            if (_partial.Length > 0)
            {
                WriteEvent();
            }

            _completed = true;
            _file.Flush(flushToDisk: true);
        }

        _changed();
    }

    public override void Flush()
    {
        lock (_gate)
        {
            _file.Flush();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Complete();
            _file.Dispose();
            _partial.Dispose();
        }

        base.Dispose(disposing);
    }

    private void WriteEvent()
    {
        var text = Encoding.UTF8.GetString(_partial.GetBuffer(), 0, (int)_partial.Length).TrimEnd('\r');
        _partial.SetLength(0);
        var line = _time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + "\t" + text + "\n";
        _file.Write(Encoding.UTF8.GetBytes(line));
        _onLine?.Invoke(text);
    }
}
