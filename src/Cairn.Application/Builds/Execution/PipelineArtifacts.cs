using Cairn.Core.Builds;
using Cairn.Runner.Artifacts;
using Cairn.Runner.Builds;
using Cairn.Runner.Sources;
using Cairn.Storage.Artifacts;
using Cairn.Storage.Builds;

namespace Cairn.Application.Builds.Execution;

/// <summary>
/// A pipeline build's artifacts, for the orchestrator: at DOWNLOAD_SOURCE the input artifacts are extracted from the
/// artifact store (the primary one is CODEBUILD_SRC_DIR, each other one its own directory, CODEBUILD_SRC_DIR_&lt;name&gt;);
/// after the executor, the buildspec's artifacts it packaged are stored as the action's output artifacts.
/// </summary>
public sealed class PipelineArtifacts(IArtifactStore artifacts, IBuildStore builds)
{
    /// <summary>Why an input artifact a build asks for can be gone, and what to do (a server build's and an agent's one text).</summary>
    internal const string WhyGone = "(its pipeline was deleted, its execution ended longer ago than the server keeps artifacts: "
        + "cairn serve --pipeline-artifact-retention-days, or the store's directory was cleaned); run the pipeline again.";

    /// <summary>
    /// Extracts a CODEPIPELINE source's inputs under <paramref name="sourceRoot"/> (one directory per artifact, named by
    /// it); null for any other source type. A CODEPIPELINE source on a build no pipeline started fails with the fix.
    /// </summary>
    public async Task<PipelineSources?> FetchAsync(BuildRecord build, string sourceRoot, Action<string> say, CancellationToken cancellationToken)
    {
        if (build.Settings.Source.Type != SourceTypes.CodePipeline)
        {
            return null;
        }

        if (build.Pipeline is not { Inputs.Count: > 0 } pipeline)
        {
            throw SourceFetchException.NotFromPipeline();
        }

        var directories = new List<(string Name, string Directory)>();
        foreach (var input in pipeline.Inputs)
        {
            if (input.Store is null || input.Key is null)
            {
                throw new SourceFetchException($"the input artifact {input.Name} has no location in the artifact store");
            }

            var directory = Path.Combine(sourceRoot, input.Name);
            try
            {
                await artifacts.ExtractAsync(new ArtifactLocation(input.Store, input.Key), directory, cancellationToken);
            }
            catch (Exception error) when (error is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
            {
                throw new SourceFetchException(
                    $"could not extract the input artifact {input.Name} ({input.S3Arn}): {error.Message}",
                    error is FileNotFoundException ? "the artifact is gone from the artifact store " + WhyGone : null);
            }

            say($"Extracted input artifact {input.Name} from {input.S3Arn}");
            directories.Add((input.Name, directory));
        }

        return new PipelineSources(new FetchedSource(directories[0].Directory, null, null), directories.Skip(1).ToList());
    }

    /// <summary>
    /// After the executor, for a pipeline build that succeeded: stores what UPLOAD_ARTIFACTS packaged as the pipeline's
    /// output artifacts and records their locations with the build. The first output is the buildspec's <c>artifacts</c>
    /// (or its secondary artifact of the same name), every other one the secondary artifact named after it. An output
    /// that is missing or cannot be stored fails the build in UPLOAD_ARTIFACTS; any other build's result is returned as it is.
    /// </summary>
    public async Task<BuildResult> StoreOutputsAsync(BuildRecord build, BuildResult result, Action<string> say, CancellationToken cancellationToken)
    {
        if (build.Pipeline is not { Outputs.Count: > 0 } pipeline || !result.Succeeded)
        {
            return result;
        }

        var stored = new List<PipelineArtifact>();
        foreach (var output in pipeline.Outputs)
        {
            var packaged = result.Artifacts.FirstOrDefault(a => a.Identifier == output.Name)
                ?? (stored.Count == 0 ? result.Artifacts.FirstOrDefault(a => a.Identifier is null) : null);
            if (packaged is null || !Directory.Exists(packaged.Location))
            {
                return Failed(result, say, stored.Count == 0 && pipeline.Outputs.Count == 1
                    ? $"the pipeline expects the output artifact {output.Name}, but the buildspec has no artifacts section; add artifacts: files: [...] to it"
                    : $"the pipeline expects the output artifact {output.Name}, but the buildspec has no secondary artifact {output.Name}; add it under artifacts: secondary-artifacts: {output.Name}: files: [...]");
            }

            try
            {
                var location = await artifacts.PutDirectoryAsync(pipeline.ArtifactStore, pipeline.KeyPrefix + "/" + output.Name, packaged.Location, cancellationToken);
                stored.Add(output with { Store = location.Store, Key = location.Key });
                say($"Uploaded output artifact {output.Name} to {location.S3Arn}");
            }
            catch (Exception error) when (error is IOException or ArgumentException or UnauthorizedAccessException)
            {
                return Failed(result, say, $"could not store the output artifact {output.Name} in the artifact store {pipeline.ArtifactStore}: {error.Message}");
            }
        }

        await builds.UpdateBuildAsync(build.Uuid, b => b with { Pipeline = pipeline with { Outputs = stored } }, CancellationToken.None);
        return result;
    }

    /// <summary>The build FAILED in UPLOAD_ARTIFACTS with CodeBuild's CLIENT_ERROR and the reason.</summary>
    private static BuildResult Failed(BuildResult result, Action<string> say, string problem)
    {
        say("Phase context status code: CLIENT_ERROR Message: " + problem);
        var phases = result.Phases.Select(p => p.PhaseType == BuildPhaseTypes.UploadArtifacts
            ? p with { PhaseStatus = BuildStatuses.Failed, Contexts = [new PhaseContext(SourceFetchException.StatusCode, problem)] }
            : p).ToList();
        return result with { Status = BuildStatuses.Failed, Phases = phases };
    }
}

/// <summary>A pipeline build's inputs in place: the primary one as the build's source, the others by name.</summary>
public sealed record PipelineSources(FetchedSource Primary, IReadOnlyList<(string Name, string Directory)> Secondaries)
{
    /// <summary>CODEBUILD_SRC_DIR_&lt;name&gt; for each secondary input, as CodeBuild names them.</summary>
    public void AddVariables(IDictionary<string, string> variables)
    {
        foreach (var (name, directory) in Secondaries)
        {
            variables[SourceFetchException.SecondarySourceVariable(name)] = directory;
        }
    }

    public IEnumerable<string> Directories => Secondaries.Select(s => s.Directory);
}
