using Cairn.Core.Pipelines;

namespace Cairn.Storage.Pipelines;

/// <summary>
/// Where CodePipeline keeps pipelines, per account and region: every version's declaration, the times, and the tags.
/// Writes that read, check and write (the next version, the tag limit) happen in one transaction. A PostgreSQL store
/// implements the same contract (PipelineStoreContractTests).
/// </summary>
public interface IPipelineStore
{
    /// <summary>Stores the pipeline as version 1 with its tags; false when a pipeline of that name exists in the scope.</summary>
    Task<bool> CreateAsync(PipelineRecord pipeline, CancellationToken cancellationToken);

    /// <summary>
    /// The pipeline at <paramref name="version"/> (the latest when null), or null when there is no such pipeline. A version
    /// the pipeline never had is answered with the latest version's number in <see cref="PipelineVersionLookup.Latest"/>.
    /// </summary>
    Task<PipelineVersionLookup?> GetAsync(PipelineScope scope, string name, int? version, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="declaration"/> as the next version, stamped <paramref name="updated"/>; null when there is no such pipeline.</summary>
    Task<PipelineRecord?> UpdateAsync(PipelineScope scope, string name, string declaration, DateTimeOffset updated, CancellationToken cancellationToken);

    /// <summary>Deletes the pipeline, every version and its tags; false when there was none.</summary>
    Task<bool> DeleteAsync(PipelineScope scope, string name, CancellationToken cancellationToken);

    /// <summary>Latest versions in name order, names after <paramref name="after"/> (exclusive), at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<PipelineRecord>> ListAsync(PipelineScope scope, string? after, int limit, CancellationToken cancellationToken);

    /// <summary>Every scope (account and region) that holds at least one pipeline, for work that runs across them (change detection).</summary>
    Task<IReadOnlyList<PipelineScope>> ListScopesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the pipeline's tags with what <paramref name="change"/> makes of them, in one transaction (an exception from
    /// <paramref name="change"/> leaves them as they were); null when there is no such pipeline.
    /// </summary>
    Task<IReadOnlyList<PipelineTag>?> UpdateTagsAsync(
        PipelineScope scope, string name, Func<IReadOnlyList<PipelineTag>, IReadOnlyList<PipelineTag>> change, CancellationToken cancellationToken);
}
