namespace Cairn.Runner.Sources;

/// <summary>A source in place: where it is, the commit it resolved to (git), and the repository URL (CODEBUILD_SOURCE_REPO_URL).</summary>
public sealed record FetchedSource(string Directory, string? ResolvedVersion, string? RepositoryUrl);
