namespace Cairn.Storage.Builds;

/// <summary>
/// What a build keeps beside its record for its page: the buildspec it ran and its packaged artifact files. The file
/// backend keeps them in the builds directory of the server that ran the build; the PostgreSQL backend in the database, so
/// that every server on it shows every build's files. Both pass BuildFileStoreContractTests. Uuids are checked (a build
/// uuid, never a path); artifact paths are relative and '/'-separated, and only regular files are kept: a symbolic link is
/// neither followed nor kept. Artifacts are a build's output and the buildspec is its text before variables were resolved:
/// neither holds a secret, and neither is encrypted.
/// </summary>
public interface IBuildFileStore
{
    /// <summary>Keeps <paramref name="text"/> as the buildspec the build ran, replacing one kept before.</summary>
    Task SaveBuildspecAsync(string uuid, string text, CancellationToken cancellationToken);

    /// <summary>The kept buildspec, its text left out when it is over <paramref name="maxBytes"/>; null when the build kept none.</summary>
    Task<KeptBuildspec?> FindBuildspecAsync(string uuid, int maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the regular files under <paramref name="directory"/> as the build's artifacts, replacing what it kept before.
    /// True when the store reads <paramref name="directory"/> itself (the file backend's own place for the build, kept as it
    /// is): the caller must leave it. False when the store took a copy: the directory is the caller's to delete.
    /// </summary>
    Task<bool> KeepArtifactsAsync(string uuid, string directory, CancellationToken cancellationToken);

    /// <summary>The first <paramref name="max"/> artifact files in ordinal order of their paths; empty when the build kept none.</summary>
    Task<IReadOnlyList<BuildArtifactFile>> ListArtifactsAsync(string uuid, int max, CancellationToken cancellationToken);

    /// <summary>One artifact file by its listed path, for reading (the caller disposes it); null when the build kept no such file.</summary>
    Task<BuildArtifactStream?> OpenArtifactAsync(string uuid, string path, CancellationToken cancellationToken);

    /// <summary>Removes the build's buildspec and artifacts (a deleted build's); nothing kept is no error.</summary>
    Task DeleteAsync(string uuid, CancellationToken cancellationToken);
}
