using Cairn.Application.Builds.Execution;
using Cairn.Application.Builds.Reports;
using Cairn.Core.Archives;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Runner.Agents;
using Cairn.Runner.Artifacts;
using Cairn.Runner.Builds;
using Cairn.Storage.Artifacts;
using Cairn.Storage.Builds;

namespace Cairn.Application.Builds.Agents;

/// <summary>
/// What crosses between the server and an agent besides the log: a pipeline build's input artifacts out, the packaged
/// artifacts in (extracted into the build's directory as the server's own builds package theirs, <see cref="BuildWorkspaces"/>,
/// and kept for the build's page in the <see cref="IBuildFileStore"/>), and
/// at completion the report summaries and a pipeline's output artifacts, stored with the same code the server's own
/// builds use (<see cref="BuildReportRecorder"/> as the build's role, <see cref="PipelineArtifacts"/>). The callers have
/// checked the agent's lease on the build.
/// </summary>
public sealed class AgentBuildOutputs(
    BuildWorkspaces workspaces,
    IBuildFileStore buildFiles,
    IArtifactStore artifacts,
    PipelineArtifacts pipelineArtifacts,
    BuildReportRecorder reports,
    ICredentialResolver credentials,
    TimeProvider time)
{
    /// <summary>Writes the pipeline build's input artifact <paramref name="name"/> as a gzipped tar.</summary>
    public async Task WriteInputAsync(BuildRecord build, string name, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        var input = build.Pipeline?.Inputs.FirstOrDefault(i => i.Name == name)
            ?? throw new AwsException("ResourceNotFoundException", $"Build {build.Id} has no pipeline input artifact '{name}'; it has: {string.Join(", ", build.Pipeline?.Inputs.Select(i => i.Name) ?? [])}.", 404);
        if (input.Store is null || input.Key is null)
        {
            throw new AwsException("ResourceNotFoundException", $"The input artifact {name} of build {build.Id} has no location in the artifact store.", 404);
        }

        // Through a directory, so any artifact store serves agents the same tar (the store's archive form is its own).
        var scratch = Directory.CreateTempSubdirectory("cairn-agent-input-");
        try
        {
            try
            {
                await artifacts.ExtractAsync(new ArtifactLocation(input.Store, input.Key), scratch.FullName, cancellationToken);
            }
            catch (FileNotFoundException)
            {
                throw new AwsException("ResourceNotFoundException",
                    $"The input artifact {name} ({input.S3Arn}) is gone from the artifact store " + PipelineArtifacts.WhyGone, 404);
            }

            await TarArchives.WriteGzipAsync(scratch.FullName, output, cancellationToken);
        }
        finally
        {
            DirectoryTrees.TryDelete(scratch.FullName);
        }
    }

    /// <summary>
    /// Extracts the agent's packaged artifacts into the build's artifacts directory and keeps them in the build file store,
    /// replacing what a retried upload sent before; an archive that is not a gzipped tar of files, directories and links inside it is refused with 400.
    /// </summary>
    public async Task<int> ReceiveArtifactsAsync(BuildRecord build, Stream archive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        var directory = workspaces.Create(build.Uuid);
        var partial = Path.Combine(directory, "artifacts.partial-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await TarArchives.ExtractGzipAsync(archive, partial, cancellationToken);
            var target = workspaces.ArtifactsOf(build.Uuid);
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            Directory.Move(partial, target);
            var files = Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories).Count();
            // A pipeline build's outputs are archived from this directory at completion; any other's is the store's alone.
            if (!await buildFiles.KeepArtifactsAsync(build.Uuid, target, cancellationToken) && build.Pipeline is not { Outputs.Count: > 0 })
            {
                DirectoryTrees.TryDelete(target);
            }

            return files;
        }
        catch (InvalidDataException refused)
        {
            throw new AwsException("InvalidArtifactArchive", $"The artifacts of build {build.Id} are not a gzipped tar Cairn can take: {refused.Message}", 400);
        }
        finally
        {
            DirectoryTrees.TryDelete(partial);
        }
    }

    /// <summary>
    /// Stores the completion's reports (as the build's role) and a pipeline build's output artifacts; returns the status and
    /// phases the build ends with (a pipeline output the build did not package fails it in UPLOAD_ARTIFACTS).
    /// </summary>
    public async Task<(string Status, IReadOnlyList<BuildPhaseRecord> Phases)> StoreAsync(
        BuildRecord build, AgentCompletion completion, Action<string> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(completion);
        if (completion.Reports is { Count: > 0 } summaries)
        {
            if (await RoleOfAsync(build, completion.SessionAccessKeyId, cancellationToken) is { } role)
            {
                await reports.RecordAsync(build, role, summaries, say, cancellationToken);
            }
            else
            {
                say($"[WARN] The agent's reports were not stored: the build's role session is unknown or expired (key {completion.SessionAccessKeyId ?? "none"}).");
            }
        }

        if (build.Pipeline is not { Outputs.Count: > 0 })
        {
            return (completion.Status, completion.Phases);
        }

        var root = workspaces.ArtifactsOf(build.Uuid);
        var packaged = new List<ArtifactResult>();
        foreach (var artifact in completion.Artifacts ?? [])
        {
            var path = artifact.Path.Replace('\\', '/');
            if (path.Length == 0 || path.StartsWith('/') || path.Split('/').Any(s => s is ".." or "."))
            {
                throw AwsErrors.Validation($"artifact path '{artifact.Path}' must be relative to the uploaded artifacts directory, without '.' or '..'.");
            }

            packaged.Add(new ArtifactResult(artifact.Name, Path.Combine(root, path), artifact.Files) { Identifier = artifact.Identifier });
        }

        var now = time.GetUtcNow();
        var result = new BuildResult(build.Id, build.Arn, build.BuildNumber, build.ProjectName, build.Initiator, completion.Status, build.StartTime, now,
            completion.Phases, completion.ExportedVariables, packaged, completion.Reports ?? []);
        result = await pipelineArtifacts.StoreOutputsAsync(build, result, say, cancellationToken);
        return (result.Status, result.Phases);
    }

    /// <summary>The build role's session the agent was given, as a request context; only that build's session counts.</summary>
    private async Task<RequestContext?> RoleOfAsync(BuildRecord build, string? accessKeyId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(accessKeyId) || await credentials.FindAsync(accessKeyId, cancellationToken) is not { } credential)
        {
            return null;
        }

        var principal = credential.Principal;
        if (principal.Kind != PrincipalKind.AssumedRole || principal.SessionName != BuildLifecycle.RoleSessionName(build.Uuid) || principal.AccountId != build.Scope.AccountId)
        {
            return null;
        }

        return new RequestContext(principal, build.Scope.Region, "codebuild-" + build.Uuid, null, time.GetUtcNow(), accessKeyId);
    }
}
