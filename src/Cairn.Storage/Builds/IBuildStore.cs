using Cairn.Core.Builds;

namespace Cairn.Storage.Builds;

/// <summary>
/// Where CodeBuild keeps projects and builds, per account and region. A build's state changes go through
/// <see cref="UpdateBuildAsync"/>: read, change, write in one transaction, so a StopBuild request and the worker's
/// progress never overwrite each other. A PostgreSQL store implements the same contract (BuildStoreContractTests).
/// </summary>
public interface IBuildStore
{
    /// <summary>False when a project of that name already exists in the scope.</summary>
    Task<bool> CreateProjectAsync(BuildProject project, CancellationToken cancellationToken);

    /// <summary>Replaces the project's settings and last-modified time; false when there is no such project.</summary>
    Task<bool> UpdateProjectAsync(BuildProject project, CancellationToken cancellationToken);

    /// <summary>Deletes the project (its builds stay readable); false when there was none.</summary>
    Task<bool> DeleteProjectAsync(BuildScope scope, string name, CancellationToken cancellationToken);

    Task<BuildProject?> GetProjectAsync(BuildScope scope, string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<BuildProject>> ListProjectsAsync(BuildScope scope, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a submitted build with the project's next build number. When the build carries an idempotency token that
    /// started another build in the scope at or after <paramref name="idempotentSince"/>, nothing is stored and that
    /// build is returned with <see cref="BuildAddition.Existing"/> set.
    /// </summary>
    Task<BuildAddition> AddBuildAsync(BuildRecord build, DateTimeOffset idempotentSince, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a build that <paramref name="runner"/> runs at once without a queue (`cairn build`): numbered as
    /// <see cref="AddBuildAsync"/> numbers, with its runner recorded as a claim records it, so it is never claimed and
    /// recovery fails it only when that process is gone. <paramref name="build"/> must already be out of QUEUED.
    /// </summary>
    Task<BuildRecord> AddClaimedBuildAsync(BuildRecord build, string runner, DateTimeOffset now, CancellationToken cancellationToken);

    Task<BuildRecord?> GetBuildAsync(BuildScope scope, string uuid, CancellationToken cancellationToken);

    /// <summary>Any scope: for workers and the log endpoint, which know a build only by its uuid.</summary>
    Task<BuildRecord?> FindBuildAsync(string uuid, CancellationToken cancellationToken);

    /// <summary>Build ids (project:uuid) in start order, one page at a time.</summary>
    Task<BuildIdPage> ListBuildIdsAsync(BuildScope scope, string? projectName, bool ascending, long? after, int limit, CancellationToken cancellationToken);

    /// <summary>Whole builds, newest first, filtered and paged by key (see <see cref="BuildListQuery"/>): the dashboard's history.</summary>
    Task<BuildPage> ListBuildsAsync(BuildScope scope, BuildListQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the build's latest state and stores the result, in one transaction.
    /// <paramref name="change"/> returns null to leave the build as it is. Returns the stored state, or null when the build does not exist.
    /// </summary>
    Task<BuildRecord?> UpdateBuildAsync(string uuid, Func<BuildRecord, BuildRecord?> change, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the oldest queued build whose project is below its concurrent build limit and applies <paramref name="claim"/>
    /// (which moves it out of QUEUED), in one transaction; null when no build can start.
    /// </summary>
    /// <remarks><paramref name="runner"/> names the process that will run it (see <see cref="RunningBuild"/>).</remarks>
    Task<BuildRecord?> ClaimNextQueuedAsync(Func<BuildRecord, BuildRecord> claim, string runner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="ClaimNextQueuedAsync(Func{BuildRecord, BuildRecord}, string, DateTimeOffset, CancellationToken)"/>, taking
    /// only a build <paramref name="eligible"/> accepts (an agent's labels, the server's own workers skipping agent-only builds).
    /// </summary>
    Task<BuildRecord?> ClaimNextQueuedAsync(Func<BuildRecord, bool> eligible, Func<BuildRecord, BuildRecord> claim, string runner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The guarded update of a claimed build: applies <paramref name="change"/> only while the build is not complete and
    /// its runner is still <paramref name="runner"/> (an agent's runner carries its lease token), and records that the
    /// runner was seen at <paramref name="now"/>. Null when the build does not exist, is complete, or has another runner:
    /// the caller's lease is lost and it may change nothing.
    /// </summary>
    Task<BuildRecord?> UpdateClaimedBuildAsync(string uuid, string runner, DateTimeOffset now, Func<BuildRecord, BuildRecord?> change, CancellationToken cancellationToken);

    /// <summary>Builds out of QUEUED and not yet complete, with the process that claimed each and when it last said it runs it.</summary>
    Task<IReadOnlyList<RunningBuild>> ListRunningAsync(CancellationToken cancellationToken);

    /// <summary>Ids (uuids) of the runner's builds that StopBuild asked to stop, through whichever server.</summary>
    Task<IReadOnlyList<string>> ListStopRequestedAsync(string runner, CancellationToken cancellationToken);

    /// <summary>The runner says it is still running its builds: their runner_seen_at becomes <paramref name="now"/>.</summary>
    Task HeartbeatAsync(string runner, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every build not yet complete, in any scope, queued ones included.</summary>
    Task<IReadOnlyList<BuildRecord>> ListUnfinishedAsync(CancellationToken cancellationToken);

    /// <summary>Deletes a completed build; a running or queued one is left alone.</summary>
    Task<BuildDeletion> DeleteBuildAsync(BuildScope scope, string uuid, CancellationToken cancellationToken);
}
