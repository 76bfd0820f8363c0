using System.Text;
using Cairn.Runner.Diagnostics;
using Cairn.Runner.Masking;
using Cairn.Runner.Phases;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Tests.Phases;

public sealed class PhaseRunnerTests : IAsyncLifetime, IDisposable
{
    private const string Time = "[Container] 2026/11/21 06:00:00.123";
    private readonly string _source = Directory.CreateTempSubdirectory("cairn-phase-").FullName;
    private readonly OutputCapture _sink = new();
    private readonly SecretMasker _masker = new();
    private MaskingStream _masked = null!;
    private ContainerLog _log = null!;
    private ShellSession _shell = null!;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_source, "day14", "simple_python_app"));
        _masked = _masker.CreateStream(_sink, leaveOpen: true);
        _log = new ContainerLog(_masked, new FixedTime(new DateTimeOffset(2026, 11, 21, 6, 0, 0, 123, TimeSpan.Zero)));
        _shell = Shell("sh");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _shell.DisposeAsync();
        await _masked.DisposeAsync();
        Directory.Delete(_source, recursive: true);
    }

    public void Dispose()
    {
        _log.Dispose();
        _sink.Dispose();
    }

    private ShellSession Shell(string shell) => new(new ShellOptions
    {
        Shell = shell,
        WorkingDirectory = _source,
        StopGracePeriod = TimeSpan.FromMilliseconds(300),
    });

    private PhaseRunner Runner(ICommandShell? shell = null, BuildCancellation? cancellation = null) =>
        new(shell ?? _shell, _log, new CommandDiagnostics(_source), cancellation);

    private string Log()
    {
        _masked.Complete();
        return _sink.Text;
    }

    [Fact]
    public async Task Successful_phase_writes_CodeBuild_log_lines()
    {
        var outcome = await Runner().RunAsync(new PhaseRequest("BUILD", ["echo hi"]), CancellationToken.None);

        Assert.Equal(PhaseStatus.Succeeded, outcome.Status);
        Assert.Equal(
            $"{Time} Entering phase BUILD\n{Time} Running command echo hi\nhi\n" +
            $"{Time} Phase complete: BUILD State: SUCCEEDED\n{Time} Phase context status code:  Message: \n",
            Log());
    }

    [Fact]
    public async Task A_failing_command_skips_the_rest_runs_finally_and_fails_the_phase()
    {
        var phase = new PhaseRequest("INSTALL", ["echo one", "(exit 4)", "echo skipped"], ["echo cleanup"]);

        var outcome = await Runner().RunAsync(phase, CancellationToken.None);

        Assert.Equal(
            new PhaseOutcome(PhaseStatus.Failed, "COMMAND_EXECUTION_ERROR", "Error while executing command: (exit 4). Reason: exit status 4", "(exit 4)", 4),
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
        var outcome = await Runner().RunAsync(new PhaseRequest("POST_BUILD", ["true"], ["false", "echo not-reached"]), CancellationToken.None);

        Assert.Equal((PhaseStatus.Failed, "false"), (outcome.Status, outcome.FailedCommand));
        Assert.DoesNotContain("not-reached\n", Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_failure_is_reported_when_commands_and_finally_both_fail()
    {
        var outcome = await Runner().RunAsync(new PhaseRequest("BUILD", ["(exit 2)"], ["(exit 3)"]), CancellationToken.None);

        Assert.Equal(("(exit 2)", 2), (outcome.FailedCommand, outcome.ExitCode));
    }

    [Fact]
    public async Task Exit_in_a_command_fails_it_with_that_status_and_finally_still_runs()
    {
        var outcome = await Runner().RunAsync(new PhaseRequest("BUILD", ["exit 3"], ["echo finally-ran"]), CancellationToken.None);

        Assert.Equal("Error while executing command: exit 3. Reason: exit status 3", outcome.ContextMessage);
        Assert.Contains("finally-ran\n", Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_are_masked_in_output_and_in_echoed_commands()
    {
        _masker.AddSecret("s3cr3t-token-value");

        await Runner().RunAsync(new PhaseRequest("BUILD", ["echo s3cr3t-token-value | base64", "echo s3cr3t-token-value"]), CancellationToken.None);

        var log = Log();
        Assert.DoesNotContain("s3cr3t", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cr3t-token-value"))[..20], log, StringComparison.Ordinal);
        Assert.Contains($"{Time} Running command echo ***\n***\n", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runner_lines_start_on_a_new_line_after_output_without_one()
    {
        await Runner().RunAsync(new PhaseRequest("BUILD", ["printf partial"]), CancellationToken.None);

        Assert.Contains($"partial\n{Time} Phase complete: BUILD State: SUCCEEDED\n", Log(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task A_mistyped_directory_gets_a_did_you_mean_hint(string shell)
    {
        await using var session = Shell(shell);

        var outcome = await Runner(session).RunAsync(new PhaseRequest("BUILD", ["cd day14/simple_pyton_app"]), CancellationToken.None);

        Assert.Equal("day14/simple_pyton_app does not exist; did you mean day14/simple_python_app?", outcome.Hint);
        Assert.Contains($"{Time} Hint: day14/simple_pyton_app does not exist; did you mean day14/simple_python_app?\n", Log(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task A_missing_program_is_named(string shell)
    {
        await using var session = Shell(shell);

        var outcome = await Runner(session).RunAsync(new PhaseRequest("INSTALL", ["nosuchtool-cairn --version"]), CancellationToken.None);

        Assert.Equal((127, "command not found: nosuchtool-cairn"), (outcome.ExitCode, outcome.Hint));
        Assert.Contains("Command did not exit successfully nosuchtool-cairn --version exit status 127", Log(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_stops_the_running_command_and_reports_TIMED_OUT()
    {
        using var cancellation = new BuildCancellation();

        var running = Runner(cancellation: cancellation).RunAsync(new PhaseRequest("BUILD", ["sleep 1000"], ["echo no-finally"]), cancellation.Token);
        Assert.True(await ProcessState.EventuallyAsync(() => _sink.Text.Contains("Running command sleep 1000", StringComparison.Ordinal)));
        cancellation.TimeOut();
        var outcome = await running;

        Assert.Equal(PhaseStatus.TimedOut, outcome.Status);
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

        var outcome = await Runner(cancellation: cancellation).RunAsync(new PhaseRequest("BUILD", ["echo x"]), cancellation.Token);

        Assert.Equal(PhaseStatus.Stopped, outcome.Status);
    }
}
