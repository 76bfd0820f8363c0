namespace Cairn.Application.Connections;

/// <summary>
/// Which repository locations the server may read for a pipeline's source: a file:// URL or a directory is read by the
/// server itself, so the same rule as for CodeBuild's sources applies (only the configured source roots, never the
/// server's data directory). The server implements it over CodeBuild's source roots.
/// </summary>
public interface IRepositoryLocationPolicy
{
    /// <summary>Null when <paramref name="location"/> may be read; otherwise what is wrong and how to fix it.</summary>
    Task<string?> RefusalAsync(string location, CancellationToken cancellationToken);
}
