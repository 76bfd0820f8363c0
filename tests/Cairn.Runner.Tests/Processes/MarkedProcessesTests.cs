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

    private static Process Start(string script, (string Name, string Value) variable)
    {
        var start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script } };
        start.Environment[variable.Name] = variable.Value;
        return Process.Start(start)!;
    }
}
