using Cairn.Runner.Processes;
using Cairn.Storage.Artifacts;

namespace Cairn.Server.Tests.PipelineSources;

/// <summary>A stand-in for the file artifact store (another part of issue 13): each archive is a copy of the directory.</summary>
internal sealed class DirectoryArtifactStore(string root) : IArtifactStore
{
    public async Task<ArtifactLocation> PutDirectoryAsync(string store, string keyPrefix, string directory, CancellationToken cancellationToken)
    {
        var location = new ArtifactLocation(store, $"{keyPrefix}/{Guid.NewGuid():N}");
        var target = PathOf(location);
        Directory.CreateDirectory(target);
        var copy = await ToolProcess.RunAsync("cp", ["-a", "--", directory + "/.", target], cancellationToken: cancellationToken);
        return copy.Succeeded ? location : throw new IOException(copy.Output);
    }

    public async Task ExtractAsync(ArtifactLocation location, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        _ = await ToolProcess.RunAsync("cp", ["-a", "--", PathOf(location) + "/.", directory], cancellationToken: cancellationToken);
    }

    public Task<bool> ExistsAsync(ArtifactLocation location, CancellationToken cancellationToken) => Task.FromResult(Directory.Exists(PathOf(location)));

    public Task DeletePrefixAsync(string store, string keyPrefix, CancellationToken cancellationToken)
    {
        Directory.Delete(Path.Combine(root, store, keyPrefix), recursive: true);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ArtifactExecution>> ListExecutionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ArtifactExecution>>([]);

    /// <summary>Where an archive's copy is, to look at in a test.</summary>
    public string PathOf(ArtifactLocation location) => Path.Combine(root, location.Store, location.Key);
}
