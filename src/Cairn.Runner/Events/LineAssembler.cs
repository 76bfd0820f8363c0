using System.Text;
using Cairn.Runner.IO;

namespace Cairn.Runner.Events;

/// <summary>
/// The end of the masking stream: cuts command output (already masked) into lines and hands each to the sink. A line
/// longer than <see cref="MaxLineBytes"/> is cut there, as CloudWatch Logs cuts events.
/// </summary>
internal sealed class LineAssembler(Action<string> line) : WriteOnlyStream
{
    public const int MaxLineBytes = 256 * 1024;

    private readonly MemoryStream _partial = new();

    /// <summary>Whether output has started a line that has not ended yet.</summary>
    public bool HasPartialLine => _partial.Length > 0;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var newline = buffer.IndexOf((byte)'\n');
            var room = MaxLineBytes - (int)_partial.Length;
            if (newline < 0 || newline > room)
            {
                var take = Math.Min(buffer.Length, room);
                _partial.Write(buffer[..take]);
                buffer = buffer[take..];
                if (_partial.Length >= MaxLineBytes)
                {
                    EndLine();
                }

                continue;
            }

            _partial.Write(buffer[..newline]);
            buffer = buffer[(newline + 1)..];
            EndLine();
        }
    }

    /// <summary>Ends a started line (a runner line is about to be written, or the output is over).</summary>
    public void EndPartialLine()
    {
        if (HasPartialLine)
        {
            EndLine();
        }
    }

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _partial.Dispose();
        }

        base.Dispose(disposing);
    }

    private void EndLine()
    {
        var text = Encoding.UTF8.GetString(_partial.GetBuffer(), 0, (int)_partial.Length);
        _partial.SetLength(0);
        line(text);
    }
}
