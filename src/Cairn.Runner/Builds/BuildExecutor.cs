using Cairn.Runner.Masking;
using Cairn.Runner.Phases;

namespace Cairn.Runner.Builds;

/// <summary>
/// Runs one build with CodeBuild's semantics: DOWNLOAD_SOURCE (buildspec errors, variables, Parameter Store values),
/// INSTALL, PRE_BUILD, BUILD and POST_BUILD in one shell session (0.2) with CodeBuild's transitions on failure,
/// UPLOAD_ARTIFACTS (artifacts, reports, cache), then FINALIZING. Every byte of the log goes through one
/// <see cref="SecretMasker"/> stream, and every parameter value is added to it before the first command runs.
/// No HTTP here: Parameter Store values come from the request's <see cref="IBuildSecretSource"/>.
/// </summary>
public sealed class BuildExecutor
{
    /// <summary>
    /// Runs the build, writing its log to <paramref name="log"/>. <paramref name="cancellation"/> lets the caller stop
    /// the build (StopBuild); <paramref name="cancellationToken"/> stops it too. The request's timeout times it out.
    /// Either way the whole process tree of the build's commands is stopped (SIGINT, SIGTERM, then SIGKILL).
    /// </summary>
    public async Task<BuildResult> RunAsync(
        BuildRequest request, Stream log, BuildCancellation? cancellation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(log);
        var masker = request.Masker ?? new SecretMasker();
        masker.AddSecrets(request.SecretValues);
        var masked = masker.CreateStream(log, leaveOpen: true);
        await using (masked)
        {
            using var container = new ContainerLog(masked, request.Time);
            var owned = cancellation is null ? new BuildCancellation() : null;
            var active = cancellation ?? owned!;
            try
            {
                active.TimeOutAfter(request.Timeout, request.Time);
                using var link = cancellationToken.Register(active.Stop);
                await using var run = new BuildRun(request, container, masker, active);
                var result = await run.ExecuteAsync();
                masked.Complete();
                return result;
            }
            finally
            {
                owned?.Dispose();
            }
        }
    }
}
