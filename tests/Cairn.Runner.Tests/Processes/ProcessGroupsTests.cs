using System.Diagnostics;
using System.Globalization;
using Cairn.Runner.Processes;

namespace Cairn.Runner.Tests.Processes;

public sealed class ProcessGroupsTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(300);

    private static (Process Process, int GrandchildPid) StartShellWithGrandchild(string script)
    {
        var startInfo = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardInput = true };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(script);
        var process = ProcessGroups.StartInNewGroup(startInfo);
        var pid = int.Parse(process.StandardOutput.ReadLine()!, CultureInfo.InvariantCulture);
        return (process, pid);
    }

    [Fact]
    public void Started_process_leads_its_own_process_group()
    {
        var (process, grandchild) = StartShellWithGrandchild("sleep 1000 & echo $!; wait");
        using (process)
        {
            Assert.Contains(process.Id, ProcessGroups.LiveMembers(process.Id));
            Assert.Contains(grandchild, ProcessGroups.LiveMembers(process.Id));
            Assert.DoesNotContain(Environment.ProcessId, ProcessGroups.LiveMembers(process.Id));
            ProcessGroups.Signal(process.Id, Signals.Kill);
        }
    }

    [Fact]
    public async Task Terminate_stops_a_background_grandchild_sleep()
    {
        var (process, grandchild) = StartShellWithGrandchild("sleep 1000 & echo $!; wait");
        using (process)
        {
            Assert.True(ProcessState.IsAlive(grandchild));

            Assert.True(await ProcessGroups.TerminateAsync(process.Id, Grace));

            Assert.False(ProcessState.IsAlive(grandchild));
            Assert.Empty(ProcessGroups.LiveMembers(process.Id));
        }
    }

    [Fact]
    public async Task Terminate_escalates_to_SIGKILL_for_processes_that_ignore_SIGINT_and_SIGTERM()
    {
        var (process, grandchild) = StartShellWithGrandchild("trap '' INT TERM; sleep 1000 & echo $!; wait; wait");
        using (process)
        {
            Assert.True(await ProcessGroups.TerminateAsync(process.Id, Grace));

            Assert.False(ProcessState.IsAlive(grandchild));
            await process.WaitForExitAsync();
            Assert.Equal(128 + Signals.Kill, process.ExitCode);
        }
    }

    [Fact]
    public void A_process_that_exits_while_proc_is_scanned_is_passed_over_without_an_exception()
    {
        // Short-lived processes come and go in their own group while this one's is scanned 200 times: some exit between
        // /proc's listing and the read of their stat, which threw (and was caught) for each one.
        var (churn, _) = StartShellWithGrandchild("echo 0; while :; do /bin/true; done");
        var (member, grandchild) = StartShellWithGrandchild("sleep 1000 & echo $!; wait");
        var thrown = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception.Message.Contains("/stat'", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref thrown);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            for (var scan = 0; scan < 200; scan++)
            {
                Assert.Equal(new[] { member.Id, grandchild }.Order(), ProcessGroups.LiveMembers(member.Id).Order());
            }
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
            ProcessGroups.Signal(churn.Id, Signals.Kill);
            ProcessGroups.Signal(member.Id, Signals.Kill);
            churn.Dispose();
            member.Dispose();
        }

        Assert.Equal(0, thrown);
    }

    [Fact]
    public async Task Terminate_of_an_empty_group_returns_at_once()
    {
        var (process, _) = StartShellWithGrandchild("echo 1");
        using (process)
        {
            await process.WaitForExitAsync();
            Assert.True(await ProcessGroups.TerminateAsync(process.Id, Grace));
        }
    }
}
