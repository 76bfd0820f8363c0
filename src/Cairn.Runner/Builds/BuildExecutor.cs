using Cairn.Runner.Events;
using Cairn.Runner.Phases;

namespace Cairn.Runner.Builds;

/// <summary>
/// Runs one build with CodeBuild's semantics: DOWNLOAD_SOURCE (buildspec errors, variables, Parameter Store values),
/// INSTALL, PRE_BUILD, BUILD and POST_BUILD in one shell session (0.2) with CodeBuild's transitions on failure,
/// UPLOAD_ARTIFACTS (artifacts, reports, cache), then FINALIZING. Everything it says and every byte of the commands'
/// output goes to one <see cref="BuildEventSink"/>, which masks it; every parameter value is added to the sink's masker
/// before the first command runs. No HTTP here: Parameter Store values come from the request's <see cref="IBuildSecretSource"/>.
/// </summary>
public sealed class BuildExecutor : IBuildExecutor
{
    /// <summary>
    /// Runs the build, emitting its events into <paramref name="sink"/> (which may already be in a phase: the orchestrator
    /// provisions and fetches the source first). <paramref name="cancellation"/> lets the caller stop the build (StopBuild);
    /// <paramref name="cancellationToken"/> stops it too. The request's timeout times it out. Either way the whole process
    /// tree of the build's commands is stopped (SIGINT, SIGTERM, then SIGKILL).
    /// </summary>
    public async Task<BuildResult> RunAsync(
        BuildRequest request, BuildEventSink sink, BuildCancellation? cancellation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        sink.Masker.AddSecrets(request.SecretValues);
        var owned = cancellation is null ? new BuildCancellation() : null;
        var active = cancellation ?? owned!;
        try
        {
            active.TimeOutAfter(request.Timeout, request.Time);
            using var link = cancellationToken.Register(active.Stop);
            await using var run = new BuildRun(request, sink, active);
            var result = await run.ExecuteAsync();
            sink.FlushOutput();
            return result;
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>Runs the build with its log as plain text on <paramref name="log"/> (tests, tools): a sink of its own.</summary>
    public async Task<BuildResult> RunAsync(
        BuildRequest request, Stream log, BuildCancellation? cancellation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var sink = new BuildEventSink(time: request.Time, listeners: [new LogTextListener(log)]);
        return await RunAsync(request, sink, cancellation, cancellationToken);
    }
}
