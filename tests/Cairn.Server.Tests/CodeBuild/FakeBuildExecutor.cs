using Cairn.Core.Builds;
using Cairn.Runner.Builds;
using Cairn.Runner.Events;
using Cairn.Runner.Phases;

namespace Cairn.Server.Tests.CodeBuild;

/// <summary>Stands in for the BuildExecutor: records each request and runs the test's script for it, through the build's sink.</summary>
internal sealed class FakeBuildExecutor : IBuildExecutor
{
    public List<BuildRequest> Requests { get; } = [];

    /// <summary>The report summaries every build returns, as UPLOAD_ARTIFACTS would have made them.</summary>
    public IReadOnlyList<Cairn.Runner.Reports.ReportSummary> Reports { get; set; } = [];

    /// <summary>What each build does; by default it writes one line and succeeds.</summary>
    public Func<BuildRequest, BuildEventSink, BuildCancellation, Task<string>> Script { get; set; } = (_, sink, _) =>
    {
        Write(sink, "hello from the build");
        return Task.FromResult(BuildStatuses.Succeeded);
    };

    public async Task<BuildResult> RunAsync(BuildRequest request, BuildEventSink sink, BuildCancellation? cancellation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cancellation);
        lock (Requests)
        {
            Requests.Add(request);
        }

        var start = sink.Now;
        sink.StartPhase(BuildPhaseTypes.DownloadSource);
        sink.EndPhase(BuildStatuses.Succeeded, writeLines: false);
        string status;
        try
        {
            status = await Script(request, sink, cancellation);
        }
        catch (OperationCanceledException) when (cancellation.Token.IsCancellationRequested)
        {
            status = cancellation.Reason == BuildStatuses.TimedOut ? BuildStatuses.TimedOut : BuildStatuses.Stopped;
        }

        if (sink.CurrentPhase is null)
        {
            sink.StartPhase(BuildPhaseTypes.Build);
        }

        sink.EndPhase(status, writeLines: false);
        sink.StartPhase(BuildPhaseTypes.Finalizing);
        sink.EndPhase(BuildStatuses.Succeeded, writeLines: false);
        sink.Complete();
        var exported = sink.ExportVariables([new ExportedVariable("OUT", "1")]);
        return new BuildResult(request.Identity.BuildId, request.BuildArn, request.Identity.BuildNumber, request.Identity.ProjectName,
            request.Identity.Initiator, status, start, sink.Now, sink.Phases, exported, [], Reports);
    }

    /// <summary>A line of the build's own output.</summary>
    public static void Write(BuildEventSink sink, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text + "\n");
        sink.Output.Write(bytes);
    }
}
