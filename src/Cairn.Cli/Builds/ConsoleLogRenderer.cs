using System.Text;

namespace Cairn.Cli.Builds;

/// <summary>
/// Shows the (already masked) build log on a console as it arrives: command output passes straight through; the
/// runner's "[Container] ..." lines get a header line when a phase starts and, on a terminal, colour for states,
/// failures, warnings and hints. Only line starts that may be "[Container] " are held back until decided.
/// </summary>
internal sealed class ConsoleLogRenderer(Stream inner, bool colour) : Stream
{
    private static readonly byte[] Prefix = "[Container] "u8.ToArray();

    // "[Container] " + "2026/11/21 06:00:00.123 "
    private const int MessageOffset = 36;

    private readonly Lock _gate = new();
    private readonly List<byte> _line = [];
    private Mode _mode = Mode.LineStart;
    private bool _inHint;

    private enum Mode
    {
        LineStart,
        Container,
        Plain,
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_gate)
        {
            Process(buffer);
        }
    }

    /// <summary>Writes out a partly seen line start; call once no more log will come.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (_line.Count > 0)
            {
                var held = _line.ToArray();
                _line.Clear();
                if (_mode == Mode.Container)
                {
                    RenderContainerLine(Encoding.UTF8.GetString(held));
                }
                else
                {
                    EmitPlain(held);
                }
            }

            _mode = Mode.LineStart;
            inner.Flush();
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            inner.Flush();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Process(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            switch (_mode)
            {
                case Mode.Container:
                {
                    var newline = buffer.IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        _line.AddRange(buffer);
                        return;
                    }

                    _line.AddRange(buffer[..(newline + 1)]);
                    buffer = buffer[(newline + 1)..];
                    RenderContainerLine(Encoding.UTF8.GetString([.. _line]));
                    _line.Clear();
                    _mode = Mode.LineStart;
                    break;
                }

                case Mode.LineStart:
                {
                    var take = Math.Min(Prefix.Length - _line.Count, buffer.Length);
                    _line.AddRange(buffer[..take]);
                    buffer = buffer[take..];
                    if (!Prefix.AsSpan().StartsWith(_line.ToArray()))
                    {
                        // Not a runner line: replay what was held as ordinary output.
                        var held = _line.ToArray();
                        _line.Clear();
                        _mode = Mode.Plain;
                        Process(held);
                    }
                    else if (_line.Count == Prefix.Length)
                    {
                        _mode = Mode.Container;
                    }

                    break;
                }

                default:
                {
                    var newline = buffer.IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        EmitPlain(buffer);
                        return;
                    }

                    EmitPlain(buffer[..(newline + 1)]);
                    buffer = buffer[(newline + 1)..];
                    _mode = Mode.LineStart;
                    break;
                }
            }
        }
    }

    private void EmitPlain(ReadOnlySpan<byte> bytes)
    {
        if (colour && _inHint)
        {
            Emit(Ansi.Yellow);
            inner.Write(bytes);
            Emit(Ansi.Reset);
            return;
        }

        inner.Write(bytes);
    }

    private void RenderContainerLine(string line)
    {
        var text = line.TrimEnd('\n');
        var message = text.Length > MessageOffset ? text[MessageOffset..] : "";
        var phase = message.StartsWith("Entering phase ", StringComparison.Ordinal) ? message["Entering phase ".Length..]
            : message.StartsWith("Phase is ", StringComparison.Ordinal) ? message["Phase is ".Length..]
            : null;
        _inHint = message.StartsWith("Hint: ", StringComparison.Ordinal);
        if (phase is not null)
        {
            Emit(colour ? $"{Ansi.Bold}{Ansi.Cyan}== {phase} =={Ansi.Reset}\n" : $"== {phase} ==\n");
        }

        if (!colour || text.Length <= MessageOffset)
        {
            Emit(text + "\n");
            return;
        }

        Emit(Ansi.Dim + text[..MessageOffset] + Ansi.Reset + Style(message) + "\n");
    }

    private static string Style(string message)
    {
        if (message.StartsWith("Phase complete: ", StringComparison.Ordinal) && message.LastIndexOf(" State: ", StringComparison.Ordinal) is var at and > 0)
        {
            var state = message[(at + " State: ".Length)..];
            return message[..(at + " State: ".Length)] + Ansi.Bold + Ansi.StatusColour(state) + state + Ansi.Reset;
        }

        if (message.StartsWith("Phase context status code: ", StringComparison.Ordinal) && !message.StartsWith("Phase context status code:  ", StringComparison.Ordinal))
        {
            return Ansi.Red + message + Ansi.Reset;
        }

        if (message.StartsWith("Command did not exit successfully", StringComparison.Ordinal))
        {
            return Ansi.Red + message + Ansi.Reset;
        }

        if (message.StartsWith("Hint: ", StringComparison.Ordinal) || message.StartsWith("[WARN]", StringComparison.Ordinal))
        {
            return Ansi.Yellow + message + Ansi.Reset;
        }

        return message.StartsWith("Running command ", StringComparison.Ordinal)
            ? "Running command " + Ansi.Bold + message["Running command ".Length..] + Ansi.Reset
            : message;
    }

    private void Emit(string text) => inner.Write(Encoding.UTF8.GetBytes(text));
}
