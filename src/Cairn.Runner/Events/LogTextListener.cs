using System.Buffers;
using System.Text;
using Cairn.Core.Builds.Events;

namespace Cairn.Runner.Events;

/// <summary>
/// Writes the build log as plain text, one line per log event, to a stream (a file, a test's buffer, stdout): buffered,
/// written at the end of each batch of events.
/// </summary>
public sealed class LogTextListener(Stream output) : IBuildEventListener
{
    private readonly ArrayBufferWriter<byte> _pending = new(16 * 1024);

    public void OnEvent(BuildEvent buildEvent)
    {
        if (buildEvent is BuildLogLine line)
        {
            var span = _pending.GetSpan(Encoding.UTF8.GetMaxByteCount(line.Text.Length) + 1);
            var length = Encoding.UTF8.GetBytes(line.Text, span);
            span[length] = (byte)'\n';
            _pending.Advance(length + 1);
            if (_pending.WrittenCount >= 64 * 1024)
            {
                Flush();
            }
        }
        else if (buildEvent is BuildOutputBlock block)
        {
            // Already whole lines of UTF-8, each with its newline: copied as they are.
            Flush();
            output.Write(block.Bytes.Span);
        }
    }

    public void Flush()
    {
        if (_pending.WrittenCount > 0)
        {
            output.Write(_pending.WrittenSpan);
            _pending.ResetWrittenCount();
        }
    }
}
