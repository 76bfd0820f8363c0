using System.Globalization;
using System.Text;

namespace Cairn.Runner.Phases;

/// <summary>
/// The build log as CodeBuild writes it: the runner's own lines ("[Container] 2026/11/21 06:00:00.123 Running command
/// ...") interleaved with command output, all written to one stream, which should be the build's masking stream.
/// </summary>
public sealed class ContainerLog : IDisposable
{
    private readonly Stream _log;
    private readonly TimeProvider _time;
    private readonly LineTrackingStream _output;

    public ContainerLog(Stream log, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
        _time = time ?? TimeProvider.System;
        _output = new LineTrackingStream(log);
    }

    /// <summary>Where command output goes: the same log, remembering whether the last byte ended a line.</summary>
    public Stream Output => _output;

    /// <summary>Writes "[Container] &lt;UTC time&gt; &lt;message&gt;" on a line of its own.</summary>
    public void Write(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var timestamp = _time.GetUtcNow().ToString("yyyy/MM/dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        var line = $"{(_output.AtLineStart ? "" : "\n")}[Container] {timestamp} {message}\n";
        _output.Write(Encoding.UTF8.GetBytes(line));
    }

    public void Flush() => _log.Flush();

    /// <summary>Releases the output wrapper; the log stream itself belongs to the caller and stays open.</summary>
    public void Dispose() => _output.Dispose();
}
