using Cairn.Compat.Tests.Infrastructure;
using Cairn.Storage.Artifacts;
using Cairn.Storage.Files;
using Cairn.Storage.Postgres.Artifacts;
using Cairn.Storage.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Compat.Tests.Serve;

/// <summary>
/// Which pipeline artifact store a server uses: on PostgreSQL the database's (CodeBuild's module only TryAdds the file
/// store), so that a pipeline's output stored through one server is read by a build another server runs; on SQLite the
/// files of its data directory.
/// </summary>
public sealed class PostgresArtifactStoreServeTests
{
    [Fact]
    public async Task Two_servers_on_one_PostgreSQL_database_read_each_others_pipeline_artifacts()
    {
        Assert.True(PostgresCluster.MissingReason is null, PostgresCluster.MissingReason);
        await using var database = await PostgresCluster.Shared.CreateDatabaseAsync();
        var first = new CairnFixture { Database = database.ConnectionString };
        var second = new CairnFixture { Database = database.ConnectionString };
        var tree = Directory.CreateTempSubdirectory("cairn-artifact-serve-").FullName;
        try
        {
            await first.InitializeAsync();
            // Servers on one database share one master key, as `cairn serve --database` requires.
            File.Copy(Path.Combine(first.DataDirectory, "master.key"), Path.Combine(second.DataDirectory, "master.key"));
            await second.InitializeAsync();
            var here = first.Server.Services.GetRequiredService<IArtifactStore>();
            var there = second.Server.Services.GetRequiredService<IArtifactStore>();
            Directory.CreateDirectory(Path.Combine(tree, "in"));
            await File.WriteAllTextAsync(Path.Combine(tree, "in", "app.txt"), "built on the first server");

            var location = await here.PutDirectoryAsync("codepipeline-us-east-1-cairn", "flask-app/SourceArtif", Path.Combine(tree, "in"), CancellationToken.None);
            await there.ExtractAsync(location, Path.Combine(tree, "out"), CancellationToken.None);

            Assert.IsType<PostgresArtifactStore>(here);
            Assert.IsType<PostgresArtifactStore>(there);
            Assert.Equal("built on the first server", await File.ReadAllTextAsync(Path.Combine(tree, "out", "app.txt")));
            Assert.False(Directory.Exists(Path.Combine(first.DataDirectory, "artifacts")), "the first server stored the archive in its data directory");
        }
        finally
        {
            await second.DisposeAsync();
            await first.DisposeAsync();
            Directory.Delete(tree, recursive: true);
        }
    }

    [Fact]
    public async Task A_server_on_SQLite_keeps_pipeline_artifacts_in_its_data_directory()
    {
        var server = new CairnFixture();
        try
        {
            await server.InitializeAsync();

            var store = Assert.IsType<FileArtifactStore>(server.Server.Services.GetRequiredService<IArtifactStore>());
            Assert.Equal(Path.Combine(server.DataDirectory, "artifacts"), store.Root);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
