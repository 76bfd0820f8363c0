using System.Text;
using Cairn.Storage.BuildLogs;

namespace Cairn.Server.Services.CodeBuild.Logs;

/// <summary>
/// A write-only stream over a build's log writer, for the runner, which writes the build's (already masked) output as
/// bytes: each complete line is appended with the time it arrived, a last unterminated line when the stream is
/// completed; disposing it completes the log. <paramref name="onLine"/> is the orchestrator's until it gets typed events.
/// </summary>
internal sealed class BuildLogStream(IBuildLogWriter writer, TimeProvider time, Action<string>? onLine = null) : Stream
{
    private readonly Lock _gate = new();
    private readonly MemoryStream _partial = new();
    private bool _completed;
    private bool _disposed;

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
                AppendPartial();
                buffer = buffer[(newline + 1)..];
            }
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
                AppendPartial();
            }

            _completed = true;
        }
    }

    public override void Flush()
    {
        // Every line is in the log as soon as it is written.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            Complete();
            await writer.DisposeAsync();
            _partial.Dispose();
        }

        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            Complete();
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _partial.Dispose();
        }

        base.Dispose(disposing);
    }

    private void AppendPartial()
    {
        var text = Encoding.UTF8.GetString(_partial.GetBuffer(), 0, (int)_partial.Length).TrimEnd('\r');
        _partial.SetLength(0);
        writer.Append(text, time.GetUtcNow());
        onLine?.Invoke(text);
    }
}
