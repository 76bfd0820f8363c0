using Cairn.Core.Builds;
using Cairn.Storage.Builds;

namespace Cairn.Storage.Sqlite.Builds;

public sealed partial class SqliteBuildStore
{
    private const string BuildColumns =
        "seq, uuid, account_id, region, project_name, build_number, settings, source_version, resolved_source_version, initiator, "
        + "idempotency_token, request_digest, start_time, end_time, status, current_phase, phases, exported_variables, stop_requested, pipeline";

    private const int BuildColumnCount = 20;

    public Task<BuildAddition> AddBuildAsync(BuildRecord build, DateTimeOffset idempotentSince, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            if (build.IdempotencyToken is { } token)
            {
                var existing = connection.QuerySingle(
                    $"SELECT {BuildColumns} FROM codebuild_builds WHERE account_id = ? AND region = ? AND idempotency_token = ? AND start_time >= ? ORDER BY seq DESC LIMIT 1",
                    ReadBuild, build.Scope.AccountId, build.Scope.Region, token, idempotentSince);
                if (existing is not null)
                {
                    return new BuildAddition(existing, true);
                }
            }

            return new BuildAddition(Insert(connection, build), false);
        }, cancellationToken);

    public Task<BuildRecord> AddClaimedBuildAsync(BuildRecord build, string runner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (build.IsQueued)
        {
            throw new ArgumentException($"build {build.Id} is still QUEUED: a claimed build has left the queue.", nameof(build));
        }

        return database.WriteAsync(connection =>
        {
            var numbered = Insert(connection, build);
            connection.Execute("UPDATE codebuild_builds SET runner = ?, runner_seen_at = ? WHERE uuid = ?", runner, now, numbered.Uuid);
            return numbered;
        }, cancellationToken);
    }

    /// <summary>Inserts the build with the project's next number (counted per account, region and project).</summary>
    private static BuildRecord Insert(SqliteConnection connection, BuildRecord build)
    {
        var number = connection.QuerySingle(
            "INSERT INTO codebuild_build_numbers (account_id, region, project_name, last_number) VALUES (?, ?, ?, 1) "
            + "ON CONFLICT (account_id, region, project_name) DO UPDATE SET last_number = last_number + 1 RETURNING last_number",
            row => row.GetInt64(0), build.Scope.AccountId, build.Scope.Region, build.ProjectName);
        var numbered = build with { BuildNumber = number };
        connection.Execute(
            $"INSERT INTO codebuild_builds ({BuildColumns[5..]}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            numbered.Uuid, numbered.Scope.AccountId, numbered.Scope.Region, numbered.ProjectName, numbered.BuildNumber,
            numbered.Settings.Document, numbered.SourceVersion, numbered.ResolvedSourceVersion, numbered.Initiator,
            numbered.IdempotencyToken, numbered.RequestDigest, numbered.StartTime, numbered.EndTime, numbered.Status,
            numbered.CurrentPhase, BuildJson.Phases(numbered.Phases), BuildJson.Variables(numbered.ExportedVariables), numbered.StopRequested,
            BuildJson.Pipeline(numbered.Pipeline));
        return numbered;
    }

    public Task<BuildRecord?> GetBuildAsync(BuildScope scope, string uuid, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection => connection.QuerySingle(
            $"SELECT {BuildColumns} FROM codebuild_builds WHERE uuid = ? AND account_id = ? AND region = ?",
            ReadBuild, uuid, scope.AccountId, scope.Region)));

    public Task<BuildRecord?> FindBuildAsync(string uuid, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection => Find(connection, uuid)));

    public Task<BuildIdPage> ListBuildIdsAsync(
        BuildScope scope, string? projectName, bool ascending, long? after, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection =>
        {
            var position = after ?? (ascending ? 0 : long.MaxValue);
            var comparison = ascending ? ">" : "<";
            var order = ascending ? "ASC" : "DESC";
            var rows = projectName is null
                ? connection.Query(
                    $"SELECT seq, project_name, uuid FROM codebuild_builds WHERE account_id = ? AND region = ? AND seq {comparison} ? ORDER BY seq {order} LIMIT ?",
                    row => (Seq: row.GetInt64(0), Id: row.GetString(1) + ":" + row.GetString(2)), scope.AccountId, scope.Region, position, limit + 1)
                : connection.Query(
                    $"SELECT seq, project_name, uuid FROM codebuild_builds WHERE account_id = ? AND region = ? AND project_name = ? AND seq {comparison} ? ORDER BY seq {order} LIMIT ?",
                    row => (Seq: row.GetInt64(0), Id: row.GetString(1) + ":" + row.GetString(2)), scope.AccountId, scope.Region, projectName, position, limit + 1);
            var page = rows.Take(limit).ToList();
            return new BuildIdPage(page.Select(r => r.Id).ToList(), rows.Count > limit ? page[^1].Seq : null);
        }));

    public Task<BuildPage> ListBuildsAsync(BuildScope scope, BuildListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, 1000);
        return Task.FromResult(database.Read(connection =>
        {
            // Each filter combination has an index ending in seq (codebuild_builds_scope/_project/_status/_project_status).
            var rows = connection.Query(
                $"SELECT {BuildColumns} FROM codebuild_builds WHERE account_id = ? AND region = ? AND seq < ?"
                + (query.ProjectName is null ? "" : " AND project_name = ?") + (query.Status is null ? "" : " AND status = ?")
                + " ORDER BY seq DESC LIMIT ?",
                row => (Seq: row.GetInt64(0), Build: ReadBuild(row)),
                [scope.AccountId, scope.Region, query.Before ?? long.MaxValue,
                 .. query.ProjectName is null ? Array.Empty<object?>() : [query.ProjectName],
                 .. query.Status is null ? Array.Empty<object?>() : [query.Status], limit + 1]);
            var page = rows.Take(limit).ToList();
            return new BuildPage(page.Select(r => r.Build).ToList(), rows.Count > limit ? page[^1].Seq : null);
        }));
    }

    public Task<BuildRecord?> UpdateBuildAsync(string uuid, Func<BuildRecord, BuildRecord?> change, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var current = Find(connection, uuid);
            if (current is null)
            {
                return null;
            }

            var changed = change(current);
            if (changed is null || ReferenceEquals(changed, current))
            {
                return current;
            }

            Save(connection, changed);
            return changed;
        }, cancellationToken);

    public Task<BuildRecord?> ClaimNextQueuedAsync(Func<BuildRecord, BuildRecord> claim, string runner, DateTimeOffset now, CancellationToken cancellationToken) =>
        ClaimNextQueuedAsync(_ => true, claim, runner, now, cancellationToken);

    public Task<BuildRecord?> UpdateClaimedBuildAsync(string uuid, string runner, DateTimeOffset now, Func<BuildRecord, BuildRecord?> change, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var current = connection.QuerySingle($"SELECT {BuildColumns} FROM codebuild_builds WHERE uuid = ? AND runner = ?", ReadBuild, uuid, runner);
            if (current is null || current.IsComplete)
            {
                return null;
            }

            connection.Execute("UPDATE codebuild_builds SET runner_seen_at = ? WHERE uuid = ?", now, uuid);
            var changed = change(current);
            if (changed is null || ReferenceEquals(changed, current))
            {
                return current;
            }

            Save(connection, changed);
            return changed;
        }, cancellationToken);

    public Task<BuildRecord?> ClaimNextQueuedAsync(
        Func<BuildRecord, bool> eligible, Func<BuildRecord, BuildRecord> claim, string runner, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var queued = connection.Query(
                $"SELECT {BuildColumns} FROM codebuild_builds WHERE status = 'IN_PROGRESS' AND current_phase = 'QUEUED' ORDER BY seq",
                ReadBuild);
            foreach (var build in queued)
            {
                if (!eligible(build))
                {
                    continue;
                }

                if (build.Settings.ConcurrentBuildLimit is { } limit && Running(connection, build) >= limit)
                {
                    continue;
                }

                var claimed = claim(build);
                Save(connection, claimed);
                connection.Execute("UPDATE codebuild_builds SET runner = ?, runner_seen_at = ? WHERE uuid = ?", runner, now, claimed.Uuid);
                return claimed;
            }

            return null;
        }, cancellationToken);

    public Task<IReadOnlyList<RunningBuild>> ListRunningAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<RunningBuild>>(database.Read(connection => connection.Query(
            $"SELECT {BuildColumns}, runner, runner_seen_at FROM codebuild_builds WHERE status = 'IN_PROGRESS' AND current_phase <> 'QUEUED' ORDER BY seq",
            row => new RunningBuild(ReadBuild(row), row.GetStringOrNull(BuildColumnCount),
                row.IsNull(BuildColumnCount + 1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(BuildColumnCount + 1))))));

    public Task<IReadOnlyList<string>> ListStopRequestedAsync(string runner, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(database.Read(connection => connection.Query(
            "SELECT uuid FROM codebuild_builds WHERE status = 'IN_PROGRESS' AND stop_requested = 1 AND runner = ?",
            row => row.GetString(0), runner)));

    public Task HeartbeatAsync(string runner, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => connection.Execute(
            "UPDATE codebuild_builds SET runner_seen_at = ? WHERE runner = ? AND status = 'IN_PROGRESS'", now, runner), cancellationToken);

    public Task<IReadOnlyList<BuildRecord>> ListUnfinishedAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BuildRecord>>(database.Read(connection => connection.Query(
            $"SELECT {BuildColumns} FROM codebuild_builds WHERE status = 'IN_PROGRESS' ORDER BY seq", ReadBuild)));

    public Task<BuildDeletion> DeleteBuildAsync(BuildScope scope, string uuid, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var build = connection.QuerySingle(
                $"SELECT {BuildColumns} FROM codebuild_builds WHERE uuid = ? AND account_id = ? AND region = ?",
                ReadBuild, uuid, scope.AccountId, scope.Region);
            if (build is null)
            {
                return BuildDeletion.NotFound;
            }

            if (!build.IsComplete)
            {
                return BuildDeletion.NotComplete;
            }

            connection.Execute("DELETE FROM codebuild_builds WHERE uuid = ?", uuid);
            return BuildDeletion.Deleted;
        }, cancellationToken);

    private static long Running(SqliteConnection connection, BuildRecord build) => connection.QuerySingle(
        "SELECT COUNT(*) FROM codebuild_builds WHERE account_id = ? AND region = ? AND project_name = ? AND status = 'IN_PROGRESS' AND current_phase <> 'QUEUED'",
        row => row.GetInt64(0), build.Scope.AccountId, build.Scope.Region, build.ProjectName);

    private static BuildRecord? Find(SqliteConnection connection, string uuid) =>
        connection.QuerySingle($"SELECT {BuildColumns} FROM codebuild_builds WHERE uuid = ?", ReadBuild, uuid);

    private static void Save(SqliteConnection connection, BuildRecord build) =>
        connection.Execute(
            "UPDATE codebuild_builds SET resolved_source_version = ?, end_time = ?, status = ?, current_phase = ?, phases = ?, "
            + "exported_variables = ?, stop_requested = ?, pipeline = ? WHERE uuid = ?",
            build.ResolvedSourceVersion, build.EndTime, build.Status, build.CurrentPhase, BuildJson.Phases(build.Phases),
            BuildJson.Variables(build.ExportedVariables), build.StopRequested, BuildJson.Pipeline(build.Pipeline), build.Uuid);

    private static BuildRecord ReadBuild(SqliteRow row) => new()
    {
        Uuid = row.GetString(1),
        Scope = new BuildScope(row.GetString(2), row.GetString(3)),
        ProjectName = row.GetString(4),
        BuildNumber = row.GetInt64(5),
        Settings = ProjectSettings.FromDocument(row.GetString(6)),
        SourceVersion = row.GetStringOrNull(7),
        ResolvedSourceVersion = row.GetStringOrNull(8),
        Initiator = row.GetString(9),
        IdempotencyToken = row.GetStringOrNull(10),
        RequestDigest = row.GetStringOrNull(11),
        StartTime = DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(12)),
        EndTime = row.IsNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(13)),
        Status = row.GetString(14),
        CurrentPhase = row.GetString(15),
        Phases = BuildJson.ReadPhases(row.GetString(16)),
        ExportedVariables = BuildJson.ReadVariables(row.GetString(17)),
        StopRequested = row.GetBoolean(18),
        Pipeline = BuildJson.ReadPipeline(row.GetStringOrNull(19)),
    };
}
