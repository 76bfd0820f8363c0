using System.Diagnostics;
using Cairn.Runner.Processes;

namespace Cairn.Runner.Tests.Processes;

public sealed class MarkedProcessesTests
{
    [Fact]
    public async Task Processes_carrying_the_variable_are_found_and_killed_with_their_children_and_others_are_not()
    {
        var mark = Guid.NewGuid().ToString("N");
        var marked = Start("sleep 300 & sleep 300; wait", ("CAIRN_TEST_MARK", mark));
        var other = Start("sleep 300", ("CAIRN_TEST_MARK", "someone-else"));
        try
        {
            while (MarkedProcesses.Find("CAIRN_TEST_MARK", mark).Count < 3)
            {
                await Task.Delay(20);
            }

            var killed = await MarkedProcesses.KillAsync("CAIRN_TEST_MARK", mark);
            await marked.WaitForExitAsync();

            Assert.Equal(3, killed);
            Assert.Empty(MarkedProcesses.Find("CAIRN_TEST_MARK", mark));
            Assert.False(other.HasExited);
        }
        finally
        {
            other.Kill(entireProcessTree: true);
            marked.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task A_process_whose_environment_is_far_larger_than_the_read_buffer_is_found_by_a_variable_at_its_end()
    {
        var mark = Guid.NewGuid().ToString("N");
        // 200 KB of other variables before it (a start's variables go in the order given, after the inherited ones):
        // the environment is read whole, not only its first buffer.
        var padding = Enumerable.Range(0, 4).Select(i => ($"CAIRN_TEST_PADDING_{i}", new string('x', 50_000)));
        // sleep itself, not through a shell that execs it: while a process execs, its environ reads as empty.
        var start = new ProcessStartInfo("/bin/sleep") { ArgumentList = { "300" } };
        foreach (var (name, value) in padding.Append(("CAIRN_TEST_MARK", mark)))
        {
            start.Environment[name] = value;
        }

        using var marked = Process.Start(start)!;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (MarkedProcesses.Find("CAIRN_TEST_MARK", mark).Count == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.Equal([marked.Id], MarkedProcesses.Find("CAIRN_TEST_MARK", mark));
            Assert.Empty(MarkedProcesses.Find("CAIRN_TEST_MARK", mark[..^1]));
        }
        finally
        {
            marked.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Kernel_threads_and_vanished_processes_are_passed_over_without_an_exception()
    {
        var thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e) => Interlocked.Increment(ref thrown);
        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            Assert.Empty(MarkedProcesses.Find("CAIRN_TEST_MARK", Guid.NewGuid().ToString("N")));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        // /proc/2 (kthreadd) refuses its environ on every Linux; other tests' exceptions on other threads count too,
        // so this asserts far below one per process rather than zero.
        Assert.True(thrown < Directory.EnumerateDirectories("/proc").Count(d => int.TryParse(Path.GetFileName(d), out _)) / 2,
            $"{thrown} exceptions thrown while scanning /proc");
    }

    private static Process Start(string script, params (string Name, string Value)[] variables)
    {
        var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script } };
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }
}
