using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cairn.Runner.IO;

namespace Cairn.Runner.Shell;

/// <summary>
/// Cuts a batch's output into its commands: bytes go to the current command's sink; a begin marker ("&lt;id&gt;b&lt;n&gt;")
/// asks for command n's sink, an end marker ("&lt;id&gt;e&lt;n&gt; &lt;status&gt;") records its status. Output from before the
/// first command belongs to the first command; output after a command ended stays with it until the next begins.
/// Only a tail that could be the start of a marker is held back.
/// </summary>
internal sealed class BatchOutputSplitter(byte[] id, Func<int, Stream> begin) : WriteOnlyStream
{
    private const int MaxMarkerTail = 64;

    private readonly Lock _lock = new();
    private readonly List<byte> _held = [];
    private readonly List<byte> _early = [];
    private readonly Dictionary<int, (int Status, TimeSpan Duration)> _ended = [];
    private readonly List<int> _begun = [];
    private Stream? _sink;
    private long _startedAt;

    /// <summary>Commands that printed their begin marker, in order.</summary>
    public IReadOnlyList<int> Begun
    {
        get
        {
            lock (_lock)
            {
                return [.. _begun];
            }
        }
    }

    /// <summary>The status and duration of command <paramref name="index"/>, if it ended.</summary>
    public (int Status, TimeSpan Duration)? Ended(int index)
    {
        lock (_lock)
        {
            return _ended.TryGetValue(index, out var ended) ? ended : null;
        }
    }

    /// <summary>How long the last command that began has been running (for one that never ended).</summary>
    public TimeSpan SinceLastBegin => Stopwatch.GetElapsedTime(_startedAt);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            if (_held.Count == 0)
            {
                Process(buffer);
                return;
            }

            var combined = new byte[_held.Count + buffer.Length];
            _held.CopyTo(combined);
            buffer.CopyTo(combined.AsSpan(_held.Count));
            _held.Clear();
            Process(combined);
        }
    }

    /// <summary>No more markers will come: whatever was held back is output after all.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            var held = _held.ToArray();
            _held.Clear();
            Emit(held);
        }
    }

    public override void Flush()
    {
        lock (_lock)
        {
            _sink?.Flush();
        }
    }

    private void Process(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var at = data.IndexOf(id);
            if (at < 0)
            {
                var keep = LongestSuffixThatStarts(data, id);
                Emit(data[..^keep]);
                _held.AddRange(data[^keep..]);
                return;
            }

            Emit(data[..at]);
            var rest = data[(at + id.Length)..];
            var newline = rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (rest.Length > MaxMarkerTail)
                {
                    // Not a marker line after all (no marker is this long): plain output.
                    Emit(data[at..(at + id.Length)]);
                    data = rest;
                    continue;
                }

                _held.AddRange(data[at..]);
                return;
            }

            if (!Apply(Encoding.ASCII.GetString(rest[..newline])))
            {
                Emit(data[at..(at + id.Length + newline + 1)]);
            }

            data = rest[(newline + 1)..];
        }
    }

    /// <summary>Acts on "b&lt;n&gt;" or "e&lt;n&gt; &lt;status&gt;"; false when the text is neither.</summary>
    private bool Apply(string marker)
    {
        if (marker.Length < 2)
        {
            return false;
        }

        var parts = marker[1..].Split(' ');
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return false;
        }

        if (marker[0] == 'b' && parts.Length == 1)
        {
            _begun.Add(index);
            _startedAt = Stopwatch.GetTimestamp();
            _sink = begin(index);
            if (_early.Count > 0)
            {
                _sink.Write([.. _early]);
                _early.Clear();
            }

            return true;
        }

        if (marker[0] == 'e' && parts.Length == 2 && int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var status))
        {
            _ended[index] = (status, Stopwatch.GetElapsedTime(_startedAt));
            return true;
        }

        return false;
    }

    private void Emit(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (_sink is not null)
        {
            _sink.Write(data);
        }
        else
        {
            _early.AddRange(data);
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
