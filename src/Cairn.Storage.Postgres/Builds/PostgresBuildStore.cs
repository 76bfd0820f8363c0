using Cairn.Core.Builds;
using Cairn.Storage.Builds;
using Npgsql;

namespace Cairn.Storage.Postgres.Builds;

/// <summary>
/// Projects and builds in PostgreSQL (schema <c>cairn_builds</c>, <see cref="BuildMigrations"/>). A build's changes read it
/// <c>FOR UPDATE</c>, so a StopBuild through one server and the runner's progress through another never overwrite each
/// other; a claim locks its build <c>FOR UPDATE SKIP LOCKED</c>, so servers claiming at once take different builds without
/// waiting, and only claims of a project with a concurrent build limit take that project's advisory lock (limits stay exact).
/// </summary>
public sealed partial class PostgresBuildStore(PostgresDatabase database) : IBuildStore
{
    private const string ProjectColumns = "account_id, region, name, settings, created_at, updated_at";

    public Task<bool> CreateProjectAsync(BuildProject project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        return database.WriteAsync(async session => await session.ExecuteAsync(
            $"INSERT INTO cairn_builds.projects ({ProjectColumns}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (account_id, region, name) DO NOTHING",
            project.Scope.AccountId, project.Scope.Region, project.Name, project.Settings.Document, project.Created, project.LastModified).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    public Task<bool> UpdateProjectAsync(BuildProject project, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(project);
        return database.WriteAsync(async session => await session.ExecuteAsync(
            "UPDATE cairn_builds.projects SET settings = $1, updated_at = $2 WHERE account_id = $3 AND region = $4 AND name = $5",
            project.Settings.Document, project.LastModified, project.Scope.AccountId, project.Scope.Region, project.Name).ConfigureAwait(false) > 0,
            cancellationToken);
    }

    public Task<bool> DeleteProjectAsync(BuildScope scope, string name, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            await session.ExecuteAsync(
                "DELETE FROM cairn_builds.build_numbers WHERE account_id = $1 AND region = $2 AND project_name = $3", scope.AccountId, scope.Region, name).ConfigureAwait(false);
            return await session.ExecuteAsync(
                "DELETE FROM cairn_builds.projects WHERE account_id = $1 AND region = $2 AND name = $3", scope.AccountId, scope.Region, name).ConfigureAwait(false) > 0;
        }, cancellationToken);

    public Task<BuildProject?> GetProjectAsync(BuildScope scope, string name, CancellationToken cancellationToken) =>
        database.ReadAsync(session => session.QuerySingleAsync(
            $"SELECT {ProjectColumns} FROM cairn_builds.projects WHERE account_id = $1 AND region = $2 AND name = $3",
            ReadProject, scope.AccountId, scope.Region, name), cancellationToken);

    public async Task<IReadOnlyList<BuildProject>> ListProjectsAsync(BuildScope scope, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(
            $"SELECT {ProjectColumns} FROM cairn_builds.projects WHERE account_id = $1 AND region = $2 ORDER BY name",
            ReadProject, scope.AccountId, scope.Region), cancellationToken).ConfigureAwait(false);

    private static BuildProject ReadProject(NpgsqlDataReader row) => new(
        new BuildScope(row.GetString(0), row.GetString(1)),
        row.GetString(2),
        ProjectSettings.FromDocument(row.GetString(3)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(4)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(5)));
}
