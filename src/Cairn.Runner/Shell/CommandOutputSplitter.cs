using System.Globalization;
using System.Text;

namespace Cairn.Runner.Shell;

/// <summary>
/// Cuts a shell's output pipe into commands: bytes go to the running command's sink until that command's end
/// marker, whose trailing " &lt;status&gt;\n" gives the exit status. The marker may arrive split across reads, so
/// only a tail that could be the start of the marker is held back.
/// </summary>
internal sealed class CommandOutputSplitter
{
    private const int MaxEarlyOutput = 1 << 20;

    private readonly Lock _lock = new();
    private readonly List<byte> _held = [];
    private readonly List<byte> _earlyOutput = [];
    private byte[]? _marker;
    private Stream? _sink;
    private TaskCompletionSource<int>? _completion;
    private bool _readingStatus;

    /// <summary>Starts routing output to <paramref name="sink"/> until <paramref name="marker"/>; completes with the status.</summary>
    public Task<int> Begin(byte[] marker, Stream sink)
    {
        lock (_lock)
        {
            _marker = marker;
            _sink = sink;
            _readingStatus = false;
            _completion = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_earlyOutput.Count > 0)
            {
                // Output from before the first command (start-up messages) belongs to the first command's log.
                sink.Write([.. _earlyOutput]);
                _earlyOutput.Clear();
            }

            return _completion.Task;
        }
    }

    /// <summary>Stops waiting for the current command's marker (it was cancelled or the shell died).</summary>
    public void Abandon()
    {
        lock (_lock)
        {
            FlushHeld();
            _marker = null;
            _readingStatus = false;
        }
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        lock (_lock)
        {
            if (_held.Count == 0)
            {
                Process(data);
                return;
            }

            var combined = new byte[_held.Count + data.Length];
            _held.CopyTo(combined);
            data.CopyTo(combined.AsSpan(_held.Count));
            _held.Clear();
            Process(combined);
        }
    }

    /// <summary>The pipe reached end of file: whatever was held back is output after all.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            FlushHeld();
        }
    }

    public void Fail(Exception exception)
    {
        lock (_lock)
        {
            _completion?.TrySetException(exception);
        }
    }

    private void Process(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_readingStatus)
            {
                var newline = data.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    _held.AddRange(data);
                    return;
                }

                _held.AddRange(data[..newline]);
                data = data[(newline + 1)..];
                var statusText = Encoding.ASCII.GetString([.. _held]).Trim();
                _held.Clear();
                _readingStatus = false;
                _marker = null;
                _completion?.TrySetResult(int.TryParse(statusText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var status) ? status : 1);
                continue;
            }

            if (_marker is null)
            {
                Write(data);
                return;
            }

            var at = data.IndexOf(_marker);
            if (at >= 0)
            {
                Write(data[..at]);
                data = data[(at + _marker.Length)..];
                _readingStatus = true;
                continue;
            }

            var keep = LongestSuffixThatStarts(data, _marker);
            Write(data[..^keep]);
            _held.AddRange(data[^keep..]);
            return;
        }
    }

    private void FlushHeld()
    {
        if (_held.Count > 0 && !_readingStatus)
        {
            Write([.. _held]);
        }

        _held.Clear();
    }

    private void Write(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (_sink is not null)
        {
            _sink.Write(data);
        }
        else if (_earlyOutput.Count + data.Length <= MaxEarlyOutput)
        {
            _earlyOutput.AddRange(data);
        }
    }

    private static int LongestSuffixThatStarts(ReadOnlySpan<byte> data, ReadOnlySpan<byte> marker)
    {
        for (var length = Math.Min(data.Length, marker.Length - 1); length > 0; length--)
        {
            if (data[^length..].SequenceEqual(marker[..length]))
            {
                return length;
            }
        }

        return 0;
    }
}
