using System.Buffers;
using System.Text;
using Cairn.Core.Builds;
using Cairn.Core.Builds.Events;

namespace Cairn.Cli.Builds;

/// <summary>
/// Shows a build's (already masked) events on a console as they come: command output as it is; a header line when a
/// phase starts; the runner's "[Container] ..." lines with, on a terminal, colour for states, failures, warnings and
/// hints. It reads the events' types and the runner's messages, never the log text, to know what is what.
/// What it shows is buffered and written once per batch of events (a chunk of command output, a runner line): a build
/// printing 200 MB makes a write per chunk, not per line, and a chunk's output (a <see cref="BuildOutputBlock"/>) is
/// copied as the bytes it is, never decoded.
/// </summary>
internal sealed class ConsoleLogRenderer(Stream inner, bool colour) : IBuildEventListener
{
    private const int WriteAt = 64 * 1024;

    private readonly ArrayBufferWriter<byte> _pending = new(16 * 1024);

    public void OnEvent(BuildEvent buildEvent)
    {
        switch (buildEvent)
        {
            case BuildPhaseStarted { PhaseType: not (BuildPhaseTypes.Submitted or BuildPhaseTypes.Queued or BuildPhaseTypes.Provisioning
                or BuildPhaseTypes.Finalizing or BuildPhaseTypes.Completed) } started:
                Emit(colour ? $"{Ansi.Bold}{Ansi.Cyan}== {started.PhaseType} =={Ansi.Reset}\n" : $"== {started.PhaseType} ==\n");
                break;
            case BuildLogLine { Message: { } message } line when colour:
                var prefixLength = line.Text.Length - message.Length;
                Emit(Ansi.Dim + line.Text[..prefixLength] + Ansi.Reset + Style(message) + "\n");
                break;
            case BuildLogLine line:
                Emit(line.Text);
                Emit("\n");
                break;
            case BuildOutputBlock block:
                Emit(block.Bytes.Span);
                break;
        }
    }

    public void Flush()
    {
        if (_pending.WrittenCount > 0)
        {
            inner.Write(_pending.WrittenSpan);
            _pending.ResetWrittenCount();
        }
    }

    /// <summary>Writes out and flushes what was shown; call once no more events will come.</summary>
    public void Finish()
    {
        Flush();
        inner.Flush();
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

    private void Emit(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= WriteAt)
        {
            // A block of output as large as a write: written as it is, after what waits, not copied first.
            Flush();
            inner.Write(bytes);
            return;
        }

        bytes.CopyTo(_pending.GetSpan(bytes.Length));
        _pending.Advance(bytes.Length);
        if (_pending.WrittenCount >= WriteAt)
        {
            Flush();
        }
    }

    private void Emit(string text)
    {
        var length = Encoding.UTF8.GetBytes(text, _pending.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        _pending.Advance(length);
        if (_pending.WrittenCount >= WriteAt)
        {
            Flush();
        }
    }
}
