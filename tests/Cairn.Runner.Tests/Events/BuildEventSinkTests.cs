using System.Text;
using Cairn.Core.Builds;
using Cairn.Core.Builds.Events;
using Cairn.Runner.Events;

namespace Cairn.Runner.Tests.Events;

public sealed class BuildEventSinkTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly RecordingListener _events = new();

    private BuildEventSink Sink() => new(time: new FixedTime(Noon), listeners: [_events]);

    private static void Write(BuildEventSink sink, string text) => sink.Output.Write(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Output_becomes_one_line_event_per_line_and_a_runner_line_ends_a_started_line_first()
    {
        using var sink = Sink();
        Write(sink, "one\ntw");
        Write(sink, "o\nthree");
        sink.Say("Running command next");

        var lines = _events.Of<BuildLogLine>().ToList();
        Assert.Equal(["one", "two", "three", "[Container] 2026/12/04 12:00:00.000 Running command next"], lines.Select(l => l.Text));
        Assert.Equal([null, null, null, "Running command next"], lines.Select(l => l.Message));
    }

    [Fact]
    public void A_secret_split_across_writes_is_masked_and_never_reaches_a_listener()
    {
        using var sink = Sink();
        sink.Masker.AddSecret("hunter2-secret");
        Write(sink, "password=hunt");
        Write(sink, "er2-secret done\n");
        sink.Say("said hunter2-secret too");

        Assert.Equal(["password=*** done", "[Container] 2026/12/04 12:00:00.000 said *** too"], _events.Of<BuildLogLine>().Select(l => l.Text));
        Assert.DoesNotContain("hunter2", string.Join('\n', _events.Events.Select(e => e.ToString())), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_chunk_of_output_is_one_block_of_its_whole_lines_and_a_secret_split_at_a_block_boundary_is_masked()
    {
        using var sink = Sink();
        sink.Masker.AddSecret("hunter2-secret");
        // The first chunk's whole lines are one block; its last line's start ("key=hunt") waits for the next chunk.
        Write(sink, "one\ntwo\nkey=hunt");
        Assert.Equal(1, _events.Blocks);
        Write(sink, "er2-secret end\nthree\n");
        sink.Output.Write([0xff, .. " tail\n"u8]); // not UTF-8: shown as U+FFFD, as a line decoded alone was
        sink.FlushOutput();

        Assert.Equal(3, _events.Blocks);
        Assert.Equal(["one", "two", "key=*** end", "three", "\ufffd tail"], _events.Of<BuildLogLine>().Select(l => l.Text));
        Assert.DoesNotContain("hunter2", _events.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_held_back_at_the_end_of_a_chunk_is_not_in_that_chunks_block()
    {
        using var sink = Sink();
        sink.Masker.AddSecret("hunter2-secret");
        Write(sink, "a\nhunter2");
        Assert.Equal(["a"], _events.Of<BuildLogLine>().Select(l => l.Text));
        Write(sink, "-secret\n");

        Assert.Equal(["a", "***"], _events.Of<BuildLogLine>().Select(l => l.Text));
    }

    [Fact]
    public void Each_phase_records_the_index_of_its_first_log_line_counting_lines_the_log_held_before()
    {
        var running = new BuildPhaseRecord(BuildPhaseTypes.Provisioning, Noon);
        using var sink = new BuildEventSink(time: new FixedTime(Noon), listeners: [_events], running: running, logLines: 3);
        sink.Say("provisioned");
        var provisioning = sink.EndPhase(BuildStatuses.Succeeded, writeLines: false)!;
        sink.StartPhase(BuildPhaseTypes.Install, "Entering phase INSTALL");
        Write(sink, "one\ntwo\n");
        sink.Say("multi\nline");
        var install = sink.EndPhase(BuildStatuses.Succeeded)!;
        sink.StartPhase(BuildPhaseTypes.Build, "Entering phase BUILD");
        var build = sink.EndPhase(BuildStatuses.Failed)!;
        var completed = sink.Complete();

        Assert.Equal(3, provisioning.FirstLogLine);
        Assert.Equal(4, install.FirstLogLine); // after the 3 lines before and "provisioned"
        Assert.Equal(4 + 1 + 2 + 2 + 2, build.FirstLogLine); // entering, two lines, a message of two lines, two closing lines
        Assert.Equal(build.FirstLogLine + 3, completed.FirstLogLine);
        Assert.Equal([install.FirstLogLine, build.FirstLogLine, completed.FirstLogLine], _events.Of<BuildPhaseStarted>().Select(s => s.FirstLogLine));
    }

    [Fact]
    public void Phases_are_events_with_CodeBuilds_closing_lines_written_once_by_the_sink()
    {
        using var sink = Sink();
        sink.Masker.AddSecret("s3cr3t");
        sink.StartPhase(BuildPhaseTypes.Build, "Entering phase BUILD");
        var ended = sink.EndPhase(BuildStatuses.Failed, new PhaseContext("COMMAND_EXECUTION_ERROR", "exit 1 near s3cr3t"), "look at s3cr3t");

        Assert.Equal(
            [
                "Entering phase BUILD",
                "Phase complete: BUILD State: FAILED",
                "Phase context status code: COMMAND_EXECUTION_ERROR Message: exit 1 near ***",
                "Hint: look at ***",
            ],
            _events.Of<BuildLogLine>().Select(l => l.Message));
        var started = Assert.Single(_events.Of<BuildPhaseStarted>());
        Assert.Equal(BuildPhaseTypes.Build, started.PhaseType);
        var phase = Assert.Single(_events.Of<BuildPhaseEnded>()).Phase;
        Assert.Equal(ended, phase);
        Assert.Equal((BuildStatuses.Failed, "exit 1 near ***", "look at ***"), (phase.PhaseStatus, phase.Contexts![0].Message, phase.Hint));
        Assert.Null(sink.CurrentPhase);
    }

    [Fact]
    public void A_retried_phase_is_one_phase_with_the_closing_lines_of_each_attempt()
    {
        using var sink = Sink();
        sink.StartPhase(BuildPhaseTypes.Build, "Entering phase BUILD");
        sink.EndAttempt(BuildStatuses.Failed, new PhaseContext("COMMAND_EXECUTION_ERROR", "first"));
        sink.StartPhase(BuildPhaseTypes.Build, "Entering phase BUILD");
        sink.EndPhase(BuildStatuses.Succeeded);

        Assert.Single(_events.Of<BuildPhaseStarted>());
        Assert.Single(_events.Of<BuildPhaseEnded>());
        Assert.Equal(2, _events.Of<BuildLogLine>().Count(l => l.Message == "Entering phase BUILD"));
        Assert.Equal(2, _events.Of<BuildLogLine>().Count(l => l.Message!.StartsWith("Phase complete: BUILD", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_phase_cannot_start_while_another_runs()
    {
        using var sink = Sink();
        sink.StartPhase(BuildPhaseTypes.Install);

        Assert.Throws<InvalidOperationException>(() => sink.StartPhase(BuildPhaseTypes.Build));
    }

    [Fact]
    public void A_sink_made_for_a_running_phase_ends_it_with_its_own_start()
    {
        var provisioning = new BuildPhaseRecord(BuildPhaseTypes.Provisioning, Noon.AddMinutes(-1));
        using var sink = new BuildEventSink(time: new FixedTime(Noon), listeners: [_events], running: provisioning);

        var ended = sink.EndPhase(BuildStatuses.Succeeded, writeLines: false);

        Assert.Equal((BuildPhaseTypes.Provisioning, Noon.AddMinutes(-1), Noon), (ended!.PhaseType, ended.StartTime, ended.EndTime!.Value));
        Assert.Empty(_events.Of<BuildLogLine>());
    }

    [Fact]
    public void Exported_values_are_masked_like_the_log()
    {
        using var sink = Sink();
        sink.Masker.AddSecret("tok-123456");

        var exported = sink.ExportVariables([new ExportedVariable("TAG", "v1"), new ExportedVariable("COPY", "x-tok-123456")]);

        Assert.Equal([new ExportedVariable("TAG", "v1"), new ExportedVariable("COPY", "x-***")], exported);
        Assert.Equal(exported, Assert.Single(_events.Of<BuildVariablesExported>()).Variables);
    }

    [Fact]
    public void A_line_without_an_end_is_cut_at_the_event_size_limit()
    {
        using var sink = Sink();
        Write(sink, new string('a', LineAssembler.MaxLineBytes + 10));
        sink.FlushOutput();

        Assert.Equal([LineAssembler.MaxLineBytes, 10], _events.Of<BuildLogLine>().Select(l => l.Text.Length));
    }
}
