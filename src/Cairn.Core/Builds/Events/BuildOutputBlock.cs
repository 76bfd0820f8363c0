using System.Text;

namespace Cairn.Core.Builds.Events;

/// <summary>
/// Whole lines of command output, masked, as one event: <see cref="Bytes"/> is UTF-8, every line ends in '\n' (the last
/// too), <see cref="LineCount"/> lines, all said at <see cref="Time"/> (the time the chunk holding their ends arrived).
/// A build printing megabytes is a few thousand of these, not an event per line: listeners that copy output (the console,
/// the log file) copy the bytes; those that need lines split them (<see cref="Lines"/>, <see cref="LineSpans"/>).
/// <see cref="Bytes"/> is the sink's buffer and is valid only during <see cref="IBuildEventListener.OnEvent"/>: a listener
/// that keeps output copies it (or its lines).
/// </summary>
public sealed record BuildOutputBlock(DateTimeOffset Time, ReadOnlyMemory<byte> Bytes, int LineCount) : BuildEvent(Time)
{
    /// <summary>The lines, decoded, without their newlines.</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = new List<string>(LineCount);
        foreach (var line in LineSpans(Bytes.Span))
        {
            lines.Add(Encoding.UTF8.GetString(line));
        }

        return lines;
    }

    /// <summary>The lines of <paramref name="block"/> (each ending in '\n'), without their newlines.</summary>
    public static LineEnumerator LineSpans(ReadOnlySpan<byte> block) => new(block);

    /// <summary>Walks a block's lines without allocating.</summary>
    public ref struct LineEnumerator(ReadOnlySpan<byte> block)
    {
        private ReadOnlySpan<byte> _rest = block;

        public ReadOnlySpan<byte> Current { get; private set; }

        public readonly LineEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_rest.IsEmpty)
            {
                return false;
            }

            var newline = _rest.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Current = _rest;
                _rest = default;
                return true;
            }

            Current = _rest[..newline];
            _rest = _rest[(newline + 1)..];
            return true;
        }
    }
}
