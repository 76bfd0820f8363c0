using Cairn.Runner.Phases;

namespace Cairn.Server.Services.CodeBuild.Execution;

/// <summary>
/// Runs a provisioned build from its buildspec: DOWNLOAD_SOURCE's buildspec and variable work (parameter-store values
/// read as the build's role), INSTALL to POST_BUILD, UPLOAD_ARTIFACTS and FINALIZING. Implemented over the runner's
/// BuildExecutor; the queue, provisioning and sources are the caller's.
/// </summary>
internal interface IBuildRunner
{
    /// <summary>Writes the build's log (masked) to <paramref name="log"/>; <paramref name="cancellation"/> stops or times it out.</summary>
    Task<BuildRunOutcome> RunAsync(BuildRunRequest request, Stream log, BuildCancellation cancellation, CancellationToken cancellationToken);
}
