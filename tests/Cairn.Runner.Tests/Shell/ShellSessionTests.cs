using System.Globalization;
using Cairn.Runner.Processes;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Tests.Shell;

public sealed class ShellSessionTests : IDisposable
{
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("cairn-shell-test-").FullName;

    public void Dispose() => Directory.Delete(_workDirectory, recursive: true);

    private ShellSession Session(string shell, IReadOnlyDictionary<string, string>? variables = null) => new(new ShellOptions
    {
        Shell = shell,
        WorkingDirectory = _workDirectory,
        Variables = variables ?? new Dictionary<string, string>(),
        StopGracePeriod = TimeSpan.FromMilliseconds(300),
    });

    private static async Task<(CommandResult Result, string Output)> RunAsync(ICommandShell shell, string command)
    {
        using var output = new OutputCapture();
        var result = await shell.RunAsync(command, output, CancellationToken.None);
        return (result, output.Text);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Command_output_and_exit_status_are_captured(string shell)
    {
        await using var session = Session(shell);

        var (ok, okOutput) = await RunAsync(session, "echo hi");
        var (failed, failedOutput) = await RunAsync(session, "echo bad; (exit 7)");

        Assert.Equal((0, false, "hi\n"), (ok.ExitCode, ok.ShellExited, okOutput));
        Assert.Equal((7, false, "bad\n"), (failed.ExitCode, failed.ShellExited, failedOutput));
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Cd_and_export_carry_over_to_later_commands(string shell)
    {
        await using var session = Session(shell);
        Directory.CreateDirectory(Path.Combine(_workDirectory, "sub"));

        await RunAsync(session, "cd sub");
        await RunAsync(session, "export GREETING=hello; PLAIN=kept");
        var (_, output) = await RunAsync(session, "echo \"$(pwd) $GREETING $PLAIN\"");

        Assert.Equal($"{Path.Combine(_workDirectory, "sub")} hello kept\n", output);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Stdout_and_stderr_arrive_merged_in_order(string shell)
    {
        await using var session = Session(shell);

        var (_, output) = await RunAsync(session, "echo one; echo two >&2; echo three; ls /no-such-dir-cairn");

        Assert.StartsWith("one\ntwo\nthree\nls: cannot access", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Commands_that_read_stdin_get_end_of_file_instead_of_hanging(string shell)
    {
        await using var session = Session(shell);

        var (result, output) = await RunAsync(session, "cat; read line || echo no-input; echo done");

        Assert.Equal((0, "no-input\ndone\n"), (result.ExitCode, output));
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Exit_ends_the_session_with_its_code_and_the_next_command_gets_a_fresh_shell(string shell)
    {
        await using var session = Session(shell);
        await RunAsync(session, "export CARRIED=yes");

        var (exited, output) = await RunAsync(session, "echo leaving; exit 3");
        var (next, nextOutput) = await RunAsync(session, "echo \"carried=$CARRIED\"");

        Assert.Equal((3, true, "leaving\n"), (exited.ExitCode, exited.ShellExited, output));
        Assert.Equal((0, "carried=\n"), (next.ExitCode, nextOutput));
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Exit_with_a_background_process_still_running_returns_and_stops_it(string shell)
    {
        await using var session = Session(shell);

        var (result, output) = await RunAsync(session, "sleep 1000 & echo $!; exit 6");

        Assert.Equal((6, true), (result.ExitCode, result.ShellExited));
        Assert.False(ProcessState.IsAlive(int.Parse(output.Trim(), CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_missing_working_directory_is_reported_by_name()
    {
        await using var session = new ShellSession(new ShellOptions { WorkingDirectory = "/no/such/cairn-dir" });

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => RunAsync(session, "true"));

        Assert.Contains("/no/such/cairn-dir", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task A_multi_line_command_reports_only_its_last_line_status(string shell)
    {
        await using var session = Session(shell);

        var (result, _) = await RunAsync(session, "false\ntrue\n");

        Assert.Equal(0, result.ExitCode);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task A_syntax_error_fails_the_command_but_keeps_the_session(string shell)
    {
        await using var session = Session(shell);
        await RunAsync(session, "export KEPT=1");

        var (broken, output) = await RunAsync(session, "if then fi");
        var (after, afterOutput) = await RunAsync(session, "echo \"kept=$KEPT\"");

        Assert.Equal((2, false), (broken.ExitCode, broken.ShellExited));
        Assert.Contains("then", output, StringComparison.Ordinal);
        Assert.Equal("kept=1\n", afterOutput);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Output_imitating_the_end_marker_does_not_end_the_command(string shell)
    {
        await using var session = Session(shell);

        var (result, output) = await RunAsync(session, "echo 'cairn-end-0123456789abcdef0123456789abcdef 0'; echo still-running; (exit 5)");

        Assert.Equal(5, result.ExitCode);
        Assert.Equal("cairn-end-0123456789abcdef0123456789abcdef 0\nstill-running\n", output);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Tracing_and_verbose_modes_show_the_command_but_not_the_runner_bookkeeping(string shell)
    {
        await using var session = Session(shell);
        await RunAsync(session, "set -xv");

        var (result, output) = await RunAsync(session, "echo traced");
        var (second, _) = await RunAsync(session, "(exit 4)");

        Assert.Equal((0, 4), (result.ExitCode, second.ExitCode));
        Assert.Contains("+ echo traced\ntraced\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain("__cairn", output, StringComparison.Ordinal);
        Assert.DoesNotContain("case ", output, StringComparison.Ordinal);
        Assert.DoesNotContain(" -n ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Variables_are_set_literally_at_start(string shell)
    {
        await using var session = Session(shell, new Dictionary<string, string> { ["LITERAL"] = "$PATH:/x 'q' \"d\"" });

        var (_, output) = await RunAsync(session, "printf '%s' \"$LITERAL\"");

        Assert.Equal("$PATH:/x 'q' \"d\"", output);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Output_without_a_final_newline_and_large_output_arrive_whole(string shell)
    {
        await using var session = Session(shell);

        var (_, partial) = await RunAsync(session, "printf abc");
        var (_, large) = await RunAsync(session, "head -c 1000000 /dev/zero | tr '\\0' a");

        Assert.Equal("abc", partial);
        Assert.Equal(1_000_000, large.Length);
        Assert.All(large, c => Assert.Equal('a', c));
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Output_reaches_the_sink_while_the_command_is_still_running(string shell)
    {
        await using var session = Session(shell);
        using var output = new OutputCapture();
        var flag = Path.Combine(_workDirectory, "go-on");

        var running = session.RunAsync($"echo first; while [ ! -f '{flag}' ]; do sleep 0.02; done; echo second", output, CancellationToken.None);
        var sawFirst = await ProcessState.EventuallyAsync(() => output.Text == "first\n");
        await File.WriteAllTextAsync(flag, "");
        await running;

        Assert.True(sawFirst);
        Assert.Equal("first\nsecond\n", output.Text);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Cancelling_stops_the_command_and_its_grandchildren_and_the_session_goes_on(string shell)
    {
        await using var session = Session(shell);
        await RunAsync(session, "export BEFORE=1");
        var pidFile = Path.Combine(_workDirectory, "pid");
        using var cancellation = new CancellationTokenSource();
        using var output = new OutputCapture();

        var running = session.RunAsync($"sleep 1000 & echo $! > '{pidFile}'; sleep 1000", output, cancellation.Token);
        Assert.True(await ProcessState.EventuallyAsync(() => File.Exists(pidFile) && new FileInfo(pidFile).Length > 0));
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.False(ProcessState.IsAlive(grandchild));
        var (after, afterOutput) = await RunAsync(session, "echo \"alive BEFORE=$BEFORE\"");
        Assert.Equal((0, "alive BEFORE=\n"), (after.ExitCode, afterOutput));
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task A_background_process_does_not_hold_up_the_command_and_is_stopped_on_dispose(string shell)
    {
        var session = Session(shell);
        var (result, output) = await RunAsync(session, "sleep 1000 & echo $!");
        var background = int.Parse(output.Trim(), CultureInfo.InvariantCulture);
        Assert.Equal(0, result.ExitCode);
        Assert.True(ProcessState.IsAlive(background));
        var group = session.ProcessGroupId!.Value;

        await session.DisposeAsync();

        Assert.False(ProcessState.IsAlive(background));
        Assert.Empty(ProcessGroups.LiveMembers(group));
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Per_command_shell_runs_each_command_in_a_fresh_shell(string shell)
    {
        await using var perCommand = new PerCommandShell(new ShellOptions { Shell = shell, WorkingDirectory = _workDirectory });
        Directory.CreateDirectory(Path.Combine(_workDirectory, "sub"));

        var (cd, _) = await RunAsync(perCommand, "cd sub && export X=1");
        var (_, output) = await RunAsync(perCommand, "echo \"$(pwd) X=$X\"");
        var (exited, _) = await RunAsync(perCommand, "exit 4");

        Assert.Equal(0, cd.ExitCode);
        Assert.Equal($"{_workDirectory} X=\n", output);
        Assert.Equal((4, false), (exited.ExitCode, exited.ShellExited));
    }

    [Fact]
    public void An_unknown_shell_is_rejected_with_a_clear_message()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Session("no-such-shell-cairn"));
        Assert.Contains("env.shell", error.Message, StringComparison.Ordinal);
    }
}
