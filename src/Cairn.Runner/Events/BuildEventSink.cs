using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Cairn.Core.Builds;
using Cairn.Core.Builds.Events;
using Cairn.Runner.Masking;

namespace Cairn.Runner.Events;

/// <summary>
/// The one place a build's events go through, whoever emits them (the orchestrator while provisioning and fetching the
/// source, the executor for the phases): secrets are masked here, once, and every listener — the log store, the build
/// store, the console, live viewers — gets the same masked events in the same order. It also keeps the phase list and
/// writes CodeBuild's phase lines ("Entering phase", "Phase complete: X State: Y"), so no one writes or parses them elsewhere.
/// Thread-safe: command output arrives on the shell's pump threads while the build's own thread says what it does.
/// </summary>
public sealed class BuildEventSink : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly List<IBuildEventListener> _listeners = [];
    private readonly List<BuildPhaseRecord> _phases = [];
    private readonly LineAssembler _lines;
    private readonly MaskingStream _masked;
    private string? _current;
    private DateTimeOffset _currentStart;
    private long _logLines;
    private long? _currentFirstLine;
    private bool _unflushed;

    /// <param name="running">The phase already running when the sink is made (PROVISIONING, started when a worker claimed the build).</param>
    /// <param name="logLines">How many lines the build's log holds already: the index the sink's first line gets.</param>
    public BuildEventSink(SecretMasker? masker = null, TimeProvider? time = null, IEnumerable<IBuildEventListener>? listeners = null, BuildPhaseRecord? running = null, long logLines = 0)
    {
        _logLines = logLines;
        Masker = masker ?? new SecretMasker();
        _time = time ?? TimeProvider.System;
        _listeners.AddRange(listeners ?? []);
        _lines = new LineAssembler();
        _masked = Masker.CreateStream(_lines, leaveOpen: true);
        Output = new SinkOutput(this);
        if (running is not null)
        {
            _current = running.PhaseType;
            _currentStart = running.StartTime;
            _currentFirstLine = running.FirstLogLine ?? logLines;
        }
    }

    /// <summary>Every value added here is masked in everything the sink passes on from then on.</summary>
    public SecretMasker Masker { get; }

    /// <summary>Where command output goes: masked, gathered into whole lines, each chunk's lines one <see cref="BuildOutputBlock"/>.</summary>
    public Stream Output { get; }

    public TimeProvider Time => _time;

    /// <summary>The running phase, or null between phases.</summary>
    public string? CurrentPhase
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>The phases that ended (and COMPLETED once <see cref="Complete"/> ran), in order.</summary>
    public IReadOnlyList<BuildPhaseRecord> Phases
    {
        get
        {
            lock (_gate)
            {
                return [.. _phases];
            }
        }
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Adds a listener for the events from now on.</summary>
    public void Subscribe(IBuildEventListener listener)
    {
        lock (_gate)
        {
            _listeners.Add(listener);
        }
    }

    /// <summary>Writes one of the runner's own lines: "[Container] &lt;UTC time&gt; &lt;message&gt;", on a line of its own.</summary>
    public void Say(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            // A runner line breaks the output: what the masker held back and a started line come out first.
            _masked.Release();
            _lines.EndPartialLine();
            PublishBlock();
            var now = _time.GetUtcNow();
            var masked = Masker.MaskText(message);
            Publish(new BuildLogLine(now, RunnerLines.Line(now, masked), masked));
            EndBatch();
        }
    }

    /// <summary>
    /// Starts <paramref name="phase"/> (ending nothing: end the running one first) and writes <paramref name="line"/>, if
    /// any. Starting the phase that is already running (a retried phase) only writes the line.
    /// </summary>
    public void StartPhase(string phase, string? line = null)
    {
        lock (_gate)
        {
            if (_current != phase)
            {
                if (_current is not null)
                {
                    throw new InvalidOperationException($"{_current} has not ended; {phase} cannot start.");
                }

                _current = phase;
                _currentStart = _time.GetUtcNow();
                _currentFirstLine = _logLines;
                Publish(new BuildPhaseStarted(_currentStart, phase, _logLines));
            }

            if (line is not null)
            {
                Say(line);
            }
        }
    }

    /// <summary>
    /// Ends the running phase: writes CodeBuild's two closing lines ("Phase complete: X State: Y", "Phase context status
    /// code: C Message: M") and, when <paramref name="writeHint"/>, Cairn's "Hint: ..." line (none of them when not
    /// <paramref name="writeLines"/>: PROVISIONING and FINALIZING end silently); records the phase and tells the
    /// listeners. Null when no phase is running.
    /// </summary>
    public BuildPhaseRecord? EndPhase(string status, PhaseContext? context = null, string? hint = null, bool writeLines = true, bool writeHint = true)
    {
        lock (_gate)
        {
            if (_current is not { } phase)
            {
                return null;
            }

            context ??= PhaseContext.None;
            if (writeLines)
            {
                WriteClosingLines(status, context);
            }

            if (hint is not null && writeLines && writeHint)
            {
                Say($"Hint: {hint}");
            }

            var now = _time.GetUtcNow();
            var ended = new BuildPhaseRecord(
                phase, _currentStart, status, now, [new PhaseContext(context.StatusCode, Masker.MaskText(context.Message))],
                hint is null ? null : Masker.MaskText(hint), _currentFirstLine);
            _phases.Add(ended);
            _current = null;
            Publish(new BuildPhaseEnded(now, ended));
            return ended;
        }
    }

    /// <summary>Writes the closing lines of one attempt of a phase that runs again (on-failure RETRY); the phase goes on.</summary>
    public void EndAttempt(string status, PhaseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        lock (_gate)
        {
            WriteClosingLines(status, context);
        }
    }

    /// <summary>A phase with nothing to do here (SUBMITTED, QUEUED, PROVISIONING of a local build): started and ended at once, silently.</summary>
    public void Instant(string phase)
    {
        lock (_gate)
        {
            StartPhase(phase);
            var now = _time.GetUtcNow();
            var ended = new BuildPhaseRecord(phase, _currentStart, BuildStatuses.Succeeded, now, [PhaseContext.None], FirstLogLine: _currentFirstLine);
            _phases.Add(ended);
            _current = null;
            Publish(new BuildPhaseEnded(now, ended));
        }
    }

    /// <summary>The values of env.exported-variables, masked like everything else the build shows.</summary>
    public IReadOnlyList<ExportedVariable> ExportVariables(IReadOnlyList<ExportedVariable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        lock (_gate)
        {
            var masked = variables.Select(v => new ExportedVariable(v.Name, Masker.MaskText(v.Value))).ToList();
            Publish(new BuildVariablesExported(_time.GetUtcNow(), masked));
            return masked;
        }
    }

    public void ArtifactUploaded(string name, string location, int fileCount)
    {
        lock (_gate)
        {
            Publish(new BuildArtifactUploaded(_time.GetUtcNow(), name, location, fileCount));
        }
    }

    /// <summary>Ends the phase list with COMPLETED (a start time only, as on AWS) and lets out the last output.</summary>
    public BuildPhaseRecord Complete()
    {
        lock (_gate)
        {
            FlushOutput();
            var completed = new BuildPhaseRecord(BuildPhaseTypes.Completed, _time.GetUtcNow(), FirstLogLine: _logLines);
            _phases.Add(completed);
            Publish(new BuildPhaseStarted(completed.StartTime, BuildPhaseTypes.Completed, _logLines));
            return completed;
        }
    }

    /// <summary>Lets out output held back by the masker and a last unterminated line.</summary>
    public void FlushOutput()
    {
        lock (_gate)
        {
            _masked.Release();
            _lines.EndPartialLine();
            PublishBlock();
            EndBatch();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _masked.Release();
            _lines.EndPartialLine();
            PublishBlock();
            EndBatch();
            _masked.Dispose();
            _lines.Dispose();
        }
    }

    private void WriteClosingLines(string status, PhaseContext context)
    {
        Say(RunnerLines.PhaseComplete(_current!, status));
        Say(RunnerLines.PhaseContext(context));
    }

    private void Publish(BuildEvent buildEvent)
    {
        if (buildEvent is BuildLogLine line)
        {
            // As the log store counts them: text holding newlines is one line each.
            _logLines += 1 + line.Text.AsSpan().Count('\n');
        }
        else if (buildEvent is BuildOutputBlock block)
        {
            _logLines += block.LineCount;
        }

        _unflushed = true;
        foreach (var listener in _listeners)
        {
            listener.OnEvent(buildEvent);
        }
    }

    /// <summary>The whole lines of output gathered so far, as one event (call under the gate).</summary>
    private void PublishBlock()
    {
        var (bytes, lines) = _lines.TakeBlock();
        if (lines == 0)
        {
            return;
        }

        if (!Utf8.IsValid(bytes.Span))
        {
            // Bytes that are not UTF-8 become U+FFFD, as a line decoded on its own did: every listener gets valid text.
            bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes.Span));
        }

        Publish(new BuildOutputBlock(_time.GetUtcNow(), bytes, lines));
    }

    /// <summary>The events published so far are a batch: listeners that buffer write them out (call under the gate).</summary>
    private void EndBatch()
    {
        if (!_unflushed)
        {
            return;
        }

        _unflushed = false;
        foreach (var listener in _listeners)
        {
            listener.Flush();
        }
    }

    private void WriteOutput(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _masked.Write(bytes);
            PublishBlock();
            EndBatch();
        }
    }

    /// <summary>The write side of <see cref="Output"/>.</summary>
    private sealed class SinkOutput(BuildEventSink sink) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => sink.WriteOutput(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => sink.WriteOutput(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            sink.WriteOutput(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            sink.WriteOutput(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
