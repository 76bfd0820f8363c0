using System.Globalization;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Tests.Shell;

/// <summary>
/// <see cref="ShellSession.RunSequenceAsync"/> runs many commands in one round trip and must behave exactly like running
/// them one by one: each command's output to its own sink, stop at the first failure, exit and syntax errors, flags.
/// </summary>
public sealed class ShellSequenceTests : IDisposable
{
    private readonly string _workDirectory = Directory.CreateTempSubdirectory("cairn-sequence-test-").FullName;

    public void Dispose() => Directory.Delete(_workDirectory, recursive: true);

    private ShellSession Session(string shell) => new(new ShellOptions
    {
        Shell = shell,
        WorkingDirectory = _workDirectory,
        StopGracePeriod = TimeSpan.FromMilliseconds(300),
    });

    private static async Task<(IReadOnlyList<CommandResult> Results, IReadOnlyList<string> Outputs, IReadOnlyList<int> Begun)> RunAsync(
        ICommandShell shell, params string[] commands)
    {
        var outputs = commands.Select(_ => new OutputCapture()).ToArray();
        var begun = new List<int>();
        var results = await shell.RunSequenceAsync(commands, i =>
        {
            begun.Add(i);
            return outputs[i];
        }, CancellationToken.None);
        return (results, outputs.Select(o => o.Text).ToList(), begun);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Each_command_s_output_goes_to_its_own_sink_in_order(string shell)
    {
        await using var session = Session(shell);

        var (results, outputs, begun) = await RunAsync(session, "echo one", "printf two", "echo three >&2", "true");

        Assert.Equal([0, 0, 0, 0], results.Select(r => r.ExitCode));
        Assert.Equal(["one\n", "two", "three\n", ""], outputs);
        Assert.Equal([0, 1, 2, 3], begun);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task The_first_failure_stops_the_sequence(string shell)
    {
        await using var session = Session(shell);

        var (results, outputs, begun) = await RunAsync(session, "echo a", "echo b; (exit 3)", "echo never");

        Assert.Equal([0, 3], results.Select(r => r.ExitCode));
        Assert.Equal([0, 1], begun);
        Assert.Equal("", outputs[2]);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task State_carries_over_within_and_after_a_sequence(string shell)
    {
        await using var session = Session(shell);
        Directory.CreateDirectory(Path.Combine(_workDirectory, "sub"));

        await RunAsync(session, "cd sub", "export A=1");
        var (_, outputs, _) = await RunAsync(session, "B=2", "echo \"$(basename \"$PWD\") $A $B\"");
        using var single = new OutputCapture();
        await session.RunAsync("echo \"$A$B\"", single, CancellationToken.None);

        Assert.Equal("sub 1 2\n", outputs[1]);
        Assert.Equal("12\n", single.Text);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Exit_0_ends_the_shell_and_the_rest_run_in_a_fresh_one(string shell)
    {
        await using var session = Session(shell);

        var (results, outputs, _) = await RunAsync(session, "export GONE=1", "exit 0", "echo \"fresh=${GONE:-yes}\"");

        Assert.Equal([(0, false), (0, true), (0, false)], results.Select(r => (r.ExitCode, r.ShellExited)));
        Assert.Equal("fresh=yes\n", outputs[2]);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Exit_with_a_status_fails_that_command(string shell)
    {
        await using var session = Session(shell);

        var (results, _, begun) = await RunAsync(session, "echo x", "exit 6", "echo never");

        Assert.Equal([(0, false), (6, true)], results.Select(r => (r.ExitCode, r.ShellExited)));
        Assert.Equal([0, 1], begun);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Set_e_makes_a_failing_line_end_the_shell_as_it_does_alone(string shell)
    {
        await using var session = Session(shell);

        var (results, outputs, _) = await RunAsync(session, "set -e", "false; echo not-reached", "echo never");

        Assert.Equal([(0, false), (1, true)], results.Select(r => (r.ExitCode, r.ShellExited)));
        Assert.Equal("", outputs[1]);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task A_syntax_error_fails_the_command_and_keeps_the_session(string shell)
    {
        await using var session = Session(shell);

        var (results, outputs, _) = await RunAsync(session, "export KEPT=1", "if then fi");
        var (after, afterOutputs, _) = await RunAsync(session, "echo \"kept=$KEPT\"");

        Assert.Equal([(0, false), (2, false)], results.Select(r => (r.ExitCode, r.ShellExited)));
        Assert.Contains("then", outputs[1], StringComparison.Ordinal);
        Assert.Equal("kept=1\n", afterOutputs[0]);
        Assert.Equal(0, after[0].ExitCode);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Tracing_and_verbose_modes_show_the_commands_but_not_the_driver(string shell)
    {
        await using var session = Session(shell);

        var (results, outputs, _) = await RunAsync(session, "set -xv", "echo traced", "echo again", "(exit 4)");

        Assert.Equal([0, 0, 0, 4], results.Select(r => r.ExitCode));
        Assert.Contains("+ echo traced\ntraced\n", outputs[1], StringComparison.Ordinal);
        Assert.Contains("+ echo again\nagain\n", outputs[2], StringComparison.Ordinal);
        var all = string.Concat(outputs);
        Assert.DoesNotContain("__cairn", all, StringComparison.Ordinal);
        Assert.DoesNotContain("printf", all, StringComparison.Ordinal);
        Assert.DoesNotContain("case ", all, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task A_plain_command_run_in_the_driver_shows_as_one_sourced_from_its_own_file(string shell)
    {
        await using var session = Session(shell);

        // echo same is plain (run in the driver); echo "same" is not (sourced from a file of its own).
        var (results, outputs, _) = await RunAsync(session, "set -xv", "echo same", "echo \"same\"", "set +xv", "echo quiet", "echo \"quiet\"");

        Assert.All(results, r => Assert.Equal(0, r.ExitCode));
        // bash counts each sourced file as a level of its trace: the driver (++) and a command's own file (+++).
        Assert.Equal(shell == "bash" ? "echo same\n++ echo same\nsame\n" : "echo same\n+ echo same\nsame\n", outputs[1]);
        // Nothing of the runner's shows: not the syntax check, not the line that sources the command's file.
        Assert.Equal(shell == "bash" ? "echo \"same\"\n+++ echo same\nsame\n" : "echo \"same\"\n+ echo same\nsame\n", outputs[2]);
        Assert.Equal(["quiet\n", "quiet\n"], outputs.Skip(4));
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task A_plain_command_that_starts_a_process_gets_no_marker_channel_and_return_stays_the_commands(string shell)
    {
        await using var session = Session(shell);

        var (results, outputs, begun) = await RunAsync(session, "ls /proc/self/fd", "return 3", "echo never");

        Assert.Equal([0, 3], results.Select(r => r.ExitCode));
        Assert.Contains("2", outputs[0].Split('\n'));
        Assert.DoesNotContain("8", outputs[0].Split('\n'));
        Assert.Equal([0, 1], begun);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Output_imitating_markers_is_plain_output(string shell)
    {
        await using var session = Session(shell);

        var (results, outputs, _) = await RunAsync(session, "echo 'cairn-end-0123456789abcdef0123456789abcdefb1'; echo 'xe0 0'", "echo next");

        Assert.Equal([0, 0], results.Select(r => r.ExitCode));
        Assert.Equal("cairn-end-0123456789abcdef0123456789abcdefb1\nxe0 0\n", outputs[0]);
        Assert.Equal("next\n", outputs[1]);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Printing_the_driver_itself_does_not_fake_a_marker(string shell)
    {
        var scripts = Directory.CreateTempSubdirectory("cairn-sequence-scripts-").FullName;
        try
        {
            await using var session = new ShellSession(new ShellOptions { Shell = shell, WorkingDirectory = _workDirectory, ScriptDirectory = scripts });

            var (results, outputs, _) = await RunAsync(session, $"cat '{scripts}'/*; echo listed", "echo done", "(exit 3)");

            Assert.Equal([0, 0, 3], results.Select(r => r.ExitCode));
            Assert.EndsWith("listed\n", outputs[0], StringComparison.Ordinal);
            Assert.Equal("done\n", outputs[1]);
        }
        finally
        {
            Directory.Delete(scripts, recursive: true);
        }
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Cancelling_stops_the_sequence_and_its_grandchildren(string shell)
    {
        await using var session = Session(shell);
        var pidFile = Path.Combine(_workDirectory, "pid");
        using var cancellation = new CancellationTokenSource();
        var outputs = new[] { new OutputCapture(), new OutputCapture(), new OutputCapture() };

        var running = session.RunSequenceAsync(["echo first", $"sleep 1000 & echo $! > '{pidFile}'; sleep 1000", "echo never"], i => outputs[i], cancellation.Token);
        Assert.True(await ProcessState.EventuallyAsync(() => File.Exists(pidFile) && new FileInfo(pidFile).Length > 0));
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.True(await ProcessState.EventuallyAsync(() => !ProcessState.IsAlive(grandchild)));
        Assert.Equal("first\n", outputs[0].Text);
        Assert.Equal("", outputs[2].Text);
        using var after = new OutputCapture();
        Assert.Equal(0, (await session.RunAsync("echo alive", after, CancellationToken.None)).ExitCode);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("bash")]
    public async Task Many_commands_run_in_order(string shell)
    {
        await using var session = Session(shell);
        var commands = Enumerable.Range(0, 300).Select(i => $"echo line {i}").ToArray();

        var (results, outputs, _) = await RunAsync(session, commands);

        Assert.Equal(300, results.Count);
        Assert.All(results, r => Assert.Equal(0, r.ExitCode));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"line {i}\n"), outputs);
    }

    [Theory]
    [InlineData("echo step 1", false)]
    [InlineData("docker push $DOCKER_REGISTRY_URL/${DOCKER_USERNAME}/app:latest", false)]
    [InlineData("pip install -r requirements.txt", false)]
    [InlineData("if true", true)]
    [InlineData("for", true)]
    [InlineData("echo 'unterminated", true)]
    [InlineData("echo ${BROKEN", true)]
    [InlineData("a && b", true)]
    [InlineData("echo $(date)", true)]
    [InlineData("echo a\necho b", true)]
    [InlineData("fi", true)]
    public void Only_plain_commands_skip_the_syntax_check(string command, bool check)
    {
        Assert.Equal(check, BatchProtocol.MayHaveSyntaxError(command));
    }
}
