using System.Text;
using Cairn.Core.Builds;
using Cairn.Runner.Phases;
using Cairn.Server.Services.CodeBuild.Execution;

namespace Cairn.Server.Tests.CodeBuild;

/// <summary>Stands in for the BuildExecutor: records each request and runs the test's script for it.</summary>
internal sealed class FakeBuildRunner : IBuildRunner
{
    public List<BuildRunRequest> Requests { get; } = [];

    /// <summary>What each build does; by default it writes one line and succeeds.</summary>
    public Func<BuildRunRequest, Stream, BuildCancellation, Task<string>> Script { get; set; } = async (_, log, _) =>
    {
        await Write(log, "hello from the build");
        return BuildStatuses.Succeeded;
    };

    public async Task<BuildRunOutcome> RunAsync(BuildRunRequest request, Stream log, BuildCancellation cancellation, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }

        var start = DateTimeOffset.UnixEpoch.AddYears(60);
        string status;
        try
        {
            status = await Script(request, log, cancellation);
        }
        catch (OperationCanceledException) when (cancellation.Token.IsCancellationRequested)
        {
            status = cancellation.Reason == PhaseStatus.TimedOut ? BuildStatuses.TimedOut : BuildStatuses.Stopped;
        }

        var phases = new List<BuildPhaseRecord>
        {
            new(BuildPhaseTypes.DownloadSource, start, BuildStatuses.Succeeded, start, [PhaseContext.None]),
            new(BuildPhaseTypes.Build, start, status, start, [PhaseContext.None]),
            new(BuildPhaseTypes.Finalizing, start, BuildStatuses.Succeeded, start, [PhaseContext.None]),
        };
        return new BuildRunOutcome(status, phases, [new ExportedVariable("OUT", "1")]);
    }

    public static async Task Write(Stream log, string text)
    {
        await log.WriteAsync(Encoding.UTF8.GetBytes(text + "\n"));
        await log.FlushAsync();
    }
}
