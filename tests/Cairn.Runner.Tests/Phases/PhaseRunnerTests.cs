using System.Text;
using Cairn.Core.Builds;
using Cairn.Runner.Diagnostics;
using Cairn.Runner.Events;
using Cairn.Runner.Phases;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Tests.Phases;

public sealed class PhaseRunnerTests : IAsyncLifetime, IDisposable
{
    private const string Time = "[Container] 2026/11/21 06:00:00.123";
    private readonly string _source = Directory.CreateTempSubdirectory("cairn-phase-").FullName;
    private readonly OutputCapture _sink = new();
    private BuildEventSink _events = null!;
    private ShellSession _shell = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_source, "day14", "simple_python_app"));
        _events = new BuildEventSink(time: new FixedTime(new DateTimeOffset(2026, 11, 21, 6, 0, 0, 123, TimeSpan.Zero)), listeners: [new LogTextListener(_sink)]);
        _shell = Shell("sh");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _shell.DisposeAsync();
        _events.Dispose();
        Directory.Delete(_source, recursive: true);
    }

    public void Dispose()
    {
        _sink.Dispose();
    }

    private ShellSession Shell(string shell) => new(new ShellOptions
    {
        Shell = shell,
        WorkingDirectory = _source,
        StopGracePeriod = TimeSpan.FromMilliseconds(300),
    });

    private PhaseRunner Runner(ICommandShell? shell = null, BuildCancellation? cancellation = null) =>
        new(shell ?? _shell, _events, new CommandDiagnostics(_source), cancellation);

    /// <summary>Runs the phase and ends it through the sink, as the build does (the closing lines are the sink's).</summary>
    private async Task<PhaseOutcome> RunAsync(PhaseRunner runner, PhaseRequest phase, CancellationToken cancellationToken)
    {
        var outcome = await runner.RunAsync(phase, cancellationToken);
        _events.EndPhase(outcome.Status, new PhaseContext(outcome.ContextStatusCode, outcome.ContextMessage), outcome.Hint, writeHint: false);
        return outcome;
    }

    private string Log()
    {
        _events.FlushOutput();
        return _sink.Text;
    }

    [Fact]
    public async Task Successful_phase_writes_CodeBuild_log_lines()
    {
        var outcome = await RunAsync(Runner(), new PhaseRequest("BUILD", ["echo hi"]), CancellationToken.None);

        Assert.Equal(BuildStatuses.Succeeded, outcome.Status);
        Assert.Equal(
            $"{Time} Entering phase BUILD\n{Time} Running command echo hi\nhi\n" +
            $"{Time} Phase complete: BUILD State: SUCCEEDED\n{Time} Phase context status code:  Message: \n",
            Log());
    }

    [Fact]
    public async Task A_failing_command_skips_the_rest_runs_finally_and_fails_the_phase()
    {
        var phase = new PhaseRequest("INSTALL", ["echo one", "(exit 4)", "echo skipped"], ["echo cleanup"]);

        var outcome = await RunAsync(Runner(), phase, CancellationToken.None);

        Assert.Equal(
            new PhaseOutcome(BuildStatuses.Failed, "COMMAND_EXECUTION_ERROR", "Error while executing command: (exit 4). Reason: exit status 4", "(exit 4)", 4),
            outcome);
        var log = Log();
        Assert.DoesNotContain("skipped", log, StringComparison.Ordinal);
        Assert.Contains($"{Time} Command did not exit successfully (exit 4) exit status 4\n{Time} Running command echo cleanup\ncleanup\n", log, StringComparison.Ordinal);
        Assert.EndsWith(
            $"{Time} Phase complete: INSTALL State: FAILED\n" +
            $"{Time} Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: (exit 4). Reason: exit status 4\n",
            log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_finally_command_fails_a_phase_whose_commands_succeeded()
    {
        var outcome = await RunAsync(Runner(), new PhaseRequest("POST_BUILD", ["true"], ["false", "echo not-reached"]), CancellationToken.None);

        Assert.Equal((BuildStatuses.Failed, "false"), (outcome.Status, outcome.FailedCommand));
        Assert.DoesNotContain("not-reached\n", Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_failure_is_reported_when_commands_and_finally_both_fail()
    {
        var outcome = await RunAsync(Runner(), new PhaseRequest("BUILD", ["(exit 2)"], ["(exit 3)"]), CancellationToken.None);

        Assert.Equal(("(exit 2)", 2), (outcome.FailedCommand, outcome.ExitCode));
    }

    [Fact]
    public async Task Exit_in_a_command_fails_it_with_that_status_and_finally_still_runs()
    {
        var outcome = await RunAsync(Runner(), new PhaseRequest("BUILD", ["exit 3"], ["echo finally-ran"]), CancellationToken.None);

        Assert.Equal("Error while executing command: exit 3. Reason: exit status 3", outcome.ContextMessage);
        Assert.Contains("finally-ran\n", Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_are_masked_in_output_and_in_echoed_commands()
    {
        _events.Masker.AddSecret("s3cr3t-token-value");

        await RunAsync(Runner(), new PhaseRequest("BUILD", ["echo s3cr3t-token-value | base64", "echo s3cr3t-token-value"]), CancellationToken.None);

        var log = Log();
        Assert.DoesNotContain("s3cr3t", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cr3t-token-value"))[..20], log, StringComparison.Ordinal);
        Assert.Contains($"{Time} Running command echo ***\n***\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_lines_start_on_a_new_line_after_output_without_one()
    {
        await RunAsync(Runner(), new PhaseRequest("BUILD", ["printf partial"]), CancellationToken.None);

        Assert.Contains($"partial\n{Time} Phase complete: BUILD State: SUCCEEDED\n", Log(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task A_mistyped_directory_gets_a_did_you_mean_hint(string shell)
    {
        await using var session = Shell(shell);

        var outcome = await RunAsync(Runner(session), new PhaseRequest("BUILD", ["cd day14/simple_pyton_app"]), CancellationToken.None);

        Assert.Equal("day14/simple_pyton_app does not exist; did you mean day14/simple_python_app?", outcome.Hint);
        Assert.Contains($"{Time} Hint: day14/simple_pyton_app does not exist; did you mean day14/simple_python_app?\n", Log(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task A_missing_program_is_named(string shell)
    {
        await using var session = Shell(shell);

        var outcome = await RunAsync(Runner(session), new PhaseRequest("INSTALL", ["nosuchtool-cairn --version"]), CancellationToken.None);

        Assert.Equal((127, "command not found: nosuchtool-cairn"), (outcome.ExitCode, outcome.Hint));
        Assert.Contains("Command did not exit successfully nosuchtool-cairn --version exit status 127", Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_stops_the_running_command_and_reports_TIMED_OUT()
    {
        using var cancellation = new BuildCancellation();

        var running = RunAsync(Runner(cancellation: cancellation), new PhaseRequest("BUILD", ["sleep 1000"], ["echo no-finally"]), cancellation.Token);
        Assert.True(await ProcessState.EventuallyAsync(() => _sink.Text.Contains("Running command sleep 1000", StringComparison.Ordinal)));
        cancellation.TimeOut();
        var outcome = await running;

        Assert.Equal(BuildStatuses.TimedOut, outcome.Status);
        var log = Log();
        Assert.Contains($"{Time} Phase complete: BUILD State: TIMED_OUT\n", log, StringComparison.Ordinal);
        Assert.DoesNotContain("no-finally", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_reports_STOPPED()
    {
        using var cancellation = new BuildCancellation();
        cancellation.Stop();
        cancellation.TimeOut();

        var outcome = await RunAsync(Runner(cancellation: cancellation), new PhaseRequest("BUILD", ["echo x"]), cancellation.Token);

        Assert.Equal(BuildStatuses.Stopped, outcome.Status);
    }
}
