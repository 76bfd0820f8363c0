using Cairn.Runner.Events;
using Cairn.Runner.Phases;

namespace Cairn.Runner.Builds;

/// <summary>
/// Runs a provisioned build from its buildspec (DOWNLOAD_SOURCE's buildspec and variable work, INSTALL to POST_BUILD,
/// UPLOAD_ARTIFACTS, FINALIZING), emitting everything into the build's sink. <see cref="BuildExecutor"/> runs it here, in
/// a host shell, the sandbox or a container as the request's shell factory says; an executor on another machine (an
/// agent) or in Kubernetes implements the same contract. The queue, provisioning and sources are the orchestrator's.
/// </summary>
public interface IBuildExecutor
{
    Task<BuildResult> RunAsync(BuildRequest request, BuildEventSink sink, BuildCancellation? cancellation = null, CancellationToken cancellationToken = default);
}
