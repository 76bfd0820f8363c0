using Cairn.Core.Builds;
using Cairn.Storage.Builds;

namespace Cairn.Storage.Sqlite.Builds;

/// <summary>Projects and builds in the embedded database (tables from <see cref="BuildMigrations"/>).</summary>
public sealed partial class SqliteBuildStore(SqliteDatabase database) : IBuildStore
{
    public static MigrationSet Migrations => BuildMigrations.Set;

    public async Task<bool> CreateProjectAsync(BuildProject project, CancellationToken cancellationToken) =>
        await database.WriteAsync(connection =>
        {
            if (FindProject(connection, project.Scope, project.Name) is not null)
            {
                return false;
            }

            connection.Execute(
                "INSERT INTO codebuild_projects (account_id, region, name, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                project.Scope.AccountId, project.Scope.Region, project.Name, project.Settings.Document, project.Created, project.LastModified);
            return true;
        }, cancellationToken);

    public async Task<bool> UpdateProjectAsync(BuildProject project, CancellationToken cancellationToken) =>
        await database.WriteAsync(connection => connection.Execute(
            "UPDATE codebuild_projects SET settings = ?, updated_at = ? WHERE account_id = ? AND region = ? AND name = ?",
            project.Settings.Document, project.LastModified, project.Scope.AccountId, project.Scope.Region, project.Name) > 0, cancellationToken);

    public async Task<bool> DeleteProjectAsync(BuildScope scope, string name, CancellationToken cancellationToken) =>
        await database.WriteAsync(connection =>
        {
            connection.Execute(
                "DELETE FROM codebuild_build_numbers WHERE account_id = ? AND region = ? AND project_name = ?", scope.AccountId, scope.Region, name);
            return connection.Execute(
                "DELETE FROM codebuild_projects WHERE account_id = ? AND region = ? AND name = ?", scope.AccountId, scope.Region, name) > 0;
        }, cancellationToken);

    public Task<BuildProject?> GetProjectAsync(BuildScope scope, string name, CancellationToken cancellationToken) =>
        Task.FromResult(database.Read(connection => FindProject(connection, scope, name)));

    public Task<IReadOnlyList<BuildProject>> ListProjectsAsync(BuildScope scope, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BuildProject>>(database.Read(connection => connection.Query(
            "SELECT account_id, region, name, settings, created_at, updated_at FROM codebuild_projects WHERE account_id = ? AND region = ? ORDER BY name",
            ReadProject, scope.AccountId, scope.Region)));

    private static BuildProject? FindProject(SqliteConnection connection, BuildScope scope, string name) =>
        connection.QuerySingle(
            "SELECT account_id, region, name, settings, created_at, updated_at FROM codebuild_projects WHERE account_id = ? AND region = ? AND name = ?",
            ReadProject, scope.AccountId, scope.Region, name);

    private static BuildProject ReadProject(SqliteRow row) => new(
        new BuildScope(row.GetString(0), row.GetString(1)),
        row.GetString(2),
        ProjectSettings.FromDocument(row.GetString(3)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(4)),
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(5)));
}
