using System.Diagnostics;
using System.Globalization;

namespace Cairn.Cli.Builds;

/// <summary>
/// With CAIRN_TRACE_STARTUP=1, `cairn build` writes to stderr how far into the process (wall, and CPU of the whole
/// process) each step of its start-up ended: how docs/performance.md found where the time goes. Off, a mark costs a bool test.
/// </summary>
internal static class StartupTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("CAIRN_TRACE_STARTUP") == "1";

    /// <summary>Traced too: every exception thrown, caught or not (a thrown exception costs milliseconds the first time).</summary>
    static StartupTrace()
    {
        if (Enabled)
        {
            AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
                Console.Error.WriteLine($"[startup] thrown: {e.Exception.GetType().Name}: {e.Exception.Message}");
        }
    }

    public static void Mark(string step)
    {
        if (!Enabled)
        {
            return;
        }

        using var process = Process.GetCurrentProcess();
        var wall = DateTime.Now - process.StartTime;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[startup] {wall.TotalMilliseconds,7:F1} ms wall {process.TotalProcessorTime.TotalMilliseconds,7:F1} ms CPU  {step}"));
    }
}
