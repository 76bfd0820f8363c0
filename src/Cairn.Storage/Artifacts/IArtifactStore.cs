namespace Cairn.Storage.Artifacts;

/// <summary>
/// Where pipeline artifacts live between actions: archives of a directory tree that keep unix modes and symlinks, kept
/// under a named store (artifactStore.location). The file backend keeps them on local disk; an S3-compatible or database
/// backend implements the same contract (ArtifactStoreContractTests). Keys are chosen by the store; extraction never
/// writes outside the target directory (no absolute paths, no "..", no link that leads out).
/// </summary>
public interface IArtifactStore
{
    /// <summary>Packs <paramref name="directory"/> (files, directories, symlinks, modes) into a new archive whose key starts with <paramref name="keyPrefix"/>.</summary>
    Task<ArtifactLocation> PutDirectoryAsync(string store, string keyPrefix, string directory, CancellationToken cancellationToken);

    /// <summary>Unpacks the archive into <paramref name="directory"/> (created when missing). Throws <see cref="FileNotFoundException"/> when there is no such archive.</summary>
    Task ExtractAsync(ArtifactLocation location, string directory, CancellationToken cancellationToken);

    /// <summary>Whether the archive exists.</summary>
    Task<bool> ExistsAsync(ArtifactLocation location, CancellationToken cancellationToken);

    /// <summary>Removes every archive whose key starts with <paramref name="keyPrefix"/> (a deleted pipeline's or an expired execution's artifacts).</summary>
    Task DeletePrefixAsync(string store, string keyPrefix, CancellationToken cancellationToken);

    /// <summary>
    /// Every store and first two key segments that begin the key of an archive with three segments or more: the pipeline
    /// executions (pipeline name, execution id) that hold artifacts, whatever the store. An archive with a shorter key is
    /// no execution's and is not listed.
    /// </summary>
    Task<IReadOnlyList<ArtifactExecution>> ListExecutionsAsync(CancellationToken cancellationToken);
}
