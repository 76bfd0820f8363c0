using Cairn.Core.Builds;
using Cairn.Storage.Builds;
using Npgsql;

namespace Cairn.Storage.Postgres.Builds;

public sealed partial class PostgresBuildStore
{
    private const string BuildColumns =
        "seq, uuid, account_id, region, project_name, build_number, settings, source_version, resolved_source_version, initiator, "
        + "idempotency_token, request_digest, start_time, end_time, status, current_phase, phases, exported_variables, stop_requested, pipeline";

    private const int BuildColumnCount = 20;

    public Task<BuildAddition> AddBuildAsync(BuildRecord build, DateTimeOffset idempotentSince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        return database.WriteAsync(async session =>
        {
            if (build.IdempotencyToken is { } token)
            {
                // Two StartBuilds with one token on two servers: the second waits here, then finds the first one's build.
                await session.ExecuteAsync(
                    "SELECT pg_advisory_xact_lock(hashtextextended('cairn_builds/token/' || $1 || '/' || $2 || '/' || $3, 0))",
                    build.Scope.AccountId, build.Scope.Region, token).ConfigureAwait(false);
                var existing = await session.QuerySingleAsync(
                    $"SELECT {BuildColumns} FROM cairn_builds.builds WHERE account_id = $1 AND region = $2 AND idempotency_token = $3 AND start_time >= $4 ORDER BY seq DESC LIMIT 1",
                    ReadBuild, build.Scope.AccountId, build.Scope.Region, token, idempotentSince).ConfigureAwait(false);
                if (existing is not null)
                {
                    return new BuildAddition(existing, true);
                }
            }

            return new BuildAddition(await InsertAsync(session, build, runner: null, now: null).ConfigureAwait(false), false);
        }, cancellationToken);
    }

    public Task<BuildRecord> AddClaimedBuildAsync(BuildRecord build, string runner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        if (build.IsQueued)
        {
            throw new ArgumentException($"build {build.Id} is still QUEUED: a claimed build has left the queue.", nameof(build));
        }

        return database.WriteAsync(session => InsertAsync(session, build, runner, now), cancellationToken);
    }

    /// <summary>Inserts the build with the project's next number (counted per account, region and project; the upsert's row lock orders concurrent starts).</summary>
    private static async Task<BuildRecord> InsertAsync(PostgresSession session, BuildRecord build, string? runner, DateTimeOffset? now)
    {
        var number = await session.QuerySingleAsync(
            "INSERT INTO cairn_builds.build_numbers AS n (account_id, region, project_name, last_number) VALUES ($1, $2, $3, 1) "
            + "ON CONFLICT (account_id, region, project_name) DO UPDATE SET last_number = n.last_number + 1 RETURNING last_number",
            row => row.GetInt64(0), build.Scope.AccountId, build.Scope.Region, build.ProjectName).ConfigureAwait(false);
        var numbered = build with { BuildNumber = number };
        await session.ExecuteAsync(
            $"INSERT INTO cairn_builds.builds ({BuildColumns[5..]}, runner, runner_seen_at) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
            numbered.Uuid, numbered.Scope.AccountId, numbered.Scope.Region, numbered.ProjectName, numbered.BuildNumber,
            numbered.Settings.Document, numbered.SourceVersion, numbered.ResolvedSourceVersion, numbered.Initiator,
            numbered.IdempotencyToken, numbered.RequestDigest, numbered.StartTime, numbered.EndTime, numbered.Status,
            numbered.CurrentPhase, BuildJson.Phases(numbered.Phases), BuildJson.Variables(numbered.ExportedVariables), numbered.StopRequested,
            BuildJson.Pipeline(numbered.Pipeline), runner, now).ConfigureAwait(false);
        return numbered;
    }

    public Task<BuildRecord?> GetBuildAsync(BuildScope scope, string uuid, CancellationToken cancellationToken) =>
        database.ReadAsync(session => session.QuerySingleAsync(
            $"SELECT {BuildColumns} FROM cairn_builds.builds WHERE uuid = $1 AND account_id = $2 AND region = $3",
            ReadBuild, uuid, scope.AccountId, scope.Region), cancellationToken);

    public Task<BuildRecord?> FindBuildAsync(string uuid, CancellationToken cancellationToken) =>
        database.ReadAsync(session => FindAsync(session, uuid, forUpdate: false), cancellationToken);

    public Task<BuildIdPage> ListBuildIdsAsync(
        BuildScope scope, string? projectName, bool ascending, long? after, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(async session =>
        {
            var position = after ?? (ascending ? 0 : long.MaxValue);
            var comparison = ascending ? ">" : "<";
            var order = ascending ? "ASC" : "DESC";
            var rows = projectName is null
                ? await session.QueryAsync(
                    $"SELECT seq, project_name, uuid FROM cairn_builds.builds WHERE account_id = $1 AND region = $2 AND seq {comparison} $3 ORDER BY seq {order} LIMIT $4",
                    row => (Seq: row.GetInt64(0), Id: row.GetString(1) + ":" + row.GetString(2)), scope.AccountId, scope.Region, position, limit + 1).ConfigureAwait(false)
                : await session.QueryAsync(
                    $"SELECT seq, project_name, uuid FROM cairn_builds.builds WHERE account_id = $1 AND region = $2 AND project_name = $3 AND seq {comparison} $4 ORDER BY seq {order} LIMIT $5",
                    row => (Seq: row.GetInt64(0), Id: row.GetString(1) + ":" + row.GetString(2)), scope.AccountId, scope.Region, projectName, position, limit + 1).ConfigureAwait(false);
            var page = rows.Take(limit).ToList();
            return new BuildIdPage(page.Select(r => r.Id).ToList(), rows.Count > limit ? page[^1].Seq : null);
        }, cancellationToken);

    public Task<BuildPage> ListBuildsAsync(BuildScope scope, BuildListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, 1000);
        List<object?> args = [scope.AccountId, scope.Region, query.Before ?? long.MaxValue];
        var sql = $"SELECT {BuildColumns} FROM cairn_builds.builds WHERE account_id = $1 AND region = $2 AND seq < $3";
        if (query.ProjectName is not null)
        {
            args.Add(query.ProjectName);
            sql += $" AND project_name = ${args.Count}";
        }

        if (query.Status is not null)
        {
            args.Add(query.Status);
            sql += $" AND status = ${args.Count}";
        }

        args.Add(limit + 1);
        sql += $" ORDER BY seq DESC LIMIT ${args.Count}";
        return database.ReadAsync(async session =>
        {
            var rows = await session.QueryAsync(sql, row => (Seq: row.GetInt64(0), Build: ReadBuild(row)), [.. args]).ConfigureAwait(false);
            var page = rows.Take(limit).ToList();
            return new BuildPage(page.Select(r => r.Build).ToList(), rows.Count > limit ? page[^1].Seq : null);
        }, cancellationToken);
    }

    public Task<BuildRecord?> UpdateBuildAsync(string uuid, Func<BuildRecord, BuildRecord?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.WriteAsync(async session =>
        {
            if (await FindAsync(session, uuid, forUpdate: true).ConfigureAwait(false) is not { } current)
            {
                return null;
            }

            var changed = change(current);
            if (changed is null || ReferenceEquals(changed, current))
            {
                return current;
            }

            await SaveAsync(session, changed).ConfigureAwait(false);
            return changed;
        }, cancellationToken);
    }

    public Task<BuildRecord?> ClaimNextQueuedAsync(Func<BuildRecord, BuildRecord> claim, string runner, DateTimeOffset now, CancellationToken cancellationToken) =>
        ClaimNextQueuedAsync(_ => true, claim, runner, now, cancellationToken);

    public Task<BuildRecord?> UpdateClaimedBuildAsync(string uuid, string runner, DateTimeOffset now, Func<BuildRecord, BuildRecord?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.WriteAsync(async session =>
        {
            var current = await session.QuerySingleAsync(
                $"SELECT {BuildColumns} FROM cairn_builds.builds WHERE uuid = $1 AND runner = $2 FOR UPDATE", ReadBuild, uuid, runner).ConfigureAwait(false);
            if (current is null || current.IsComplete)
            {
                return null;
            }

            await session.ExecuteAsync("UPDATE cairn_builds.builds SET runner_seen_at = $1 WHERE uuid = $2", now, uuid).ConfigureAwait(false);
            var changed = change(current);
            if (changed is null || ReferenceEquals(changed, current))
            {
                return current;
            }

            await SaveAsync(session, changed).ConfigureAwait(false);
            return changed;
        }, cancellationToken);
    }

    public Task<BuildRecord?> ClaimNextQueuedAsync(
        Func<BuildRecord, bool> eligible, Func<BuildRecord, BuildRecord> claim, string runner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eligible);
        ArgumentNullException.ThrowIfNull(claim);
        return database.WriteAsync(async session =>
        {
            // No claim waits for another: each candidate row is locked with SKIP LOCKED, so servers claiming at once take
            // different builds. Only a project with a concurrent build limit serializes its own claims (one advisory lock
            // per project, taken after the row), so its running count cannot change under the limit check.
            var queued = await session.QueryAsync(
                $"SELECT {BuildColumns} FROM cairn_builds.builds WHERE status = 'IN_PROGRESS' AND current_phase = 'QUEUED' ORDER BY seq",
                ReadBuild).ConfigureAwait(false);
            foreach (var candidate in queued)
            {
                if (!eligible(candidate))
                {
                    continue;
                }

                // Locked and read again: another server may be claiming it (skipped), or a StopBuild took it out of the queue.
                var build = await session.QuerySingleAsync(
                    $"SELECT {BuildColumns} FROM cairn_builds.builds WHERE uuid = $1 AND status = 'IN_PROGRESS' AND current_phase = 'QUEUED' FOR UPDATE SKIP LOCKED",
                    ReadBuild, candidate.Uuid).ConfigureAwait(false);
                if (build is null)
                {
                    continue;
                }

                if (build.Settings.ConcurrentBuildLimit is { } limit)
                {
                    await session.ExecuteAsync(
                        "SELECT pg_advisory_xact_lock(hashtextextended('cairn_builds/claim/' || $1 || '/' || $2 || '/' || $3, 0))",
                        build.Scope.AccountId, build.Scope.Region, build.ProjectName).ConfigureAwait(false);
                    if (await RunningAsync(session, build).ConfigureAwait(false) >= limit)
                    {
                        continue;
                    }
                }

                var claimed = claim(build);
                await SaveAsync(session, claimed).ConfigureAwait(false);
                await session.ExecuteAsync("UPDATE cairn_builds.builds SET runner = $1, runner_seen_at = $2 WHERE uuid = $3", runner, now, claimed.Uuid).ConfigureAwait(false);
                return claimed;
            }

            return null;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<RunningBuild>> ListRunningAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            $"SELECT {BuildColumns}, runner, runner_seen_at FROM cairn_builds.builds WHERE status = 'IN_PROGRESS' AND current_phase <> 'QUEUED' ORDER BY seq",
            row => new RunningBuild(ReadBuild(row), StringOrNull(row, BuildColumnCount),
                row.IsDBNull(BuildColumnCount + 1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(BuildColumnCount + 1)))),
            cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> ListStopRequestedAsync(string runner, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            "SELECT uuid FROM cairn_builds.builds WHERE status = 'IN_PROGRESS' AND stop_requested AND runner = $1",
            row => row.GetString(0), runner), cancellationToken).ConfigureAwait(false);

    public Task HeartbeatAsync(string runner, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(session => session.ExecuteAsync(
            "UPDATE cairn_builds.builds SET runner_seen_at = $1 WHERE runner = $2 AND status = 'IN_PROGRESS'", now, runner), cancellationToken);

    public async Task<IReadOnlyList<BuildRecord>> ListUnfinishedAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            $"SELECT {BuildColumns} FROM cairn_builds.builds WHERE status = 'IN_PROGRESS' ORDER BY seq", ReadBuild), cancellationToken).ConfigureAwait(false);

    public Task<BuildDeletion> DeleteBuildAsync(BuildScope scope, string uuid, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            var build = await session.QuerySingleAsync(
                $"SELECT {BuildColumns} FROM cairn_builds.builds WHERE uuid = $1 AND account_id = $2 AND region = $3 FOR UPDATE",
                ReadBuild, uuid, scope.AccountId, scope.Region).ConfigureAwait(false);
            if (build is null)
            {
                return BuildDeletion.NotFound;
            }

            if (!build.IsComplete)
            {
                return BuildDeletion.NotComplete;
            }

            await session.ExecuteAsync("DELETE FROM cairn_builds.builds WHERE uuid = $1", uuid).ConfigureAwait(false);
            return BuildDeletion.Deleted;
        }, cancellationToken);

    private static Task<long> RunningAsync(PostgresSession session, BuildRecord build) => session.QuerySingleAsync(
        "SELECT COUNT(*) FROM cairn_builds.builds WHERE account_id = $1 AND region = $2 AND project_name = $3 AND status = 'IN_PROGRESS' AND current_phase <> 'QUEUED'",
        row => row.GetInt64(0), build.Scope.AccountId, build.Scope.Region, build.ProjectName);

    private static Task<BuildRecord?> FindAsync(PostgresSession session, string uuid, bool forUpdate) =>
        session.QuerySingleAsync($"SELECT {BuildColumns} FROM cairn_builds.builds WHERE uuid = $1" + (forUpdate ? " FOR UPDATE" : string.Empty), ReadBuild, uuid);

    private static Task SaveAsync(PostgresSession session, BuildRecord build) =>
        session.ExecuteAsync(
            "UPDATE cairn_builds.builds SET resolved_source_version = $1, end_time = $2, status = $3, current_phase = $4, phases = $5, "
            + "exported_variables = $6, stop_requested = $7, pipeline = $8 WHERE uuid = $9",
            build.ResolvedSourceVersion, build.EndTime, build.Status, build.CurrentPhase, BuildJson.Phases(build.Phases),
            BuildJson.Variables(build.ExportedVariables), build.StopRequested, BuildJson.Pipeline(build.Pipeline), build.Uuid);

    private static string? StringOrNull(NpgsqlDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);

    private static BuildRecord ReadBuild(NpgsqlDataReader row) => new()
    {
        Uuid = row.GetString(1),
        Scope = new BuildScope(row.GetString(2), row.GetString(3)),
        ProjectName = row.GetString(4),
        BuildNumber = row.GetInt64(5),
        Settings = ProjectSettings.FromDocument(row.GetString(6)),
        SourceVersion = StringOrNull(row, 7),
        ResolvedSourceVersion = StringOrNull(row, 8),
        Initiator = row.GetString(9),
        IdempotencyToken = StringOrNull(row, 10),
        RequestDigest = StringOrNull(row, 11),
        StartTime = DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(12)),
        EndTime = row.IsDBNull(13) ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(13)),
        Status = row.GetString(14),
        CurrentPhase = row.GetString(15),
        Phases = BuildJson.ReadPhases(row.GetString(16)),
        ExportedVariables = BuildJson.ReadVariables(row.GetString(17)),
        StopRequested = row.GetBoolean(18),
        Pipeline = BuildJson.ReadPipeline(StringOrNull(row, 19)),
    };
}
