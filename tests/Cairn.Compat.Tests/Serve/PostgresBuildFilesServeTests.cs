using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Compat.Tests.Infrastructure;
using Cairn.Core.Identity;
using Cairn.Storage.Builds;
using Cairn.Storage.Postgres.Builds;
using Cairn.Storage.Tests.Postgres;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Compat.Tests.Serve;

/// <summary>
/// Issue 15, any server answers any request: a build run by one server on a PostgreSQL database shows its buildspec and
/// artifacts through another server on the same database, which runs no builds and has none of the first's files; and
/// BatchDeleteBuilds through that other server deletes them.
/// </summary>
public sealed class PostgresBuildFilesServeTests
{
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private const string Buildspec = """
        version: 0.2
        phases:
          build:
            commands:
              - mkdir -p dist/assets && echo "built on the first server" > dist/index.html && echo css > dist/assets/app.css
        artifacts:
          base-directory: dist
          files:
            - '**/*'
        """;

    [Fact]
    public async Task A_build_run_by_one_server_shows_its_buildspec_and_artifacts_through_another_on_the_same_database()
    {
        Assert.True(PostgresCluster.MissingReason is null, PostgresCluster.MissingReason);
        await using var database = await PostgresCluster.Shared.CreateDatabaseAsync();
        // The first server runs host builds; the second runs none, so every build is the first's and its files are only there.
        var first = new CairnFixture
        {
            Database = database.ConnectionString,
            Services = services => services.AddSingleton(new CodeBuildOptions { HostBuildIsolation = HostBuildIsolation.None, SourceRoots = [] }),
        };
        var second = new CairnFixture { Database = database.ConnectionString, Services = services => services.AddSingleton(new CodeBuildOptions { RunsBuilds = false }) };
        try
        {
            await first.InitializeAsync();
            // Servers on one database share one master key, as `cairn serve --database` requires.
            File.Copy(Path.Combine(first.DataDirectory, "master.key"), Path.Combine(second.DataDirectory, "master.key"));
            await second.InitializeAsync();
            (await first.Aws("iam", "create-role", "--role-name", "files-role", "--assume-role-policy-document", Trust)).Ok();
            (await first.Aws("codebuild", "create-project", "--name", "site",
                "--source", new JsonObject { ["type"] = "NO_SOURCE", ["buildspec"] = Buildspec }.ToJsonString(),
                "--artifacts", "type=S3,location=bucket",
                "--environment", "type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL",
                "--service-role", "arn:aws:iam::000000000000:role/files-role")).Ok();

            var id = (await second.Aws("codebuild", "start-build", "--project-name", "site")).Ok()["build"]!["id"]!.GetValue<string>();
            var build = await second.WaitForBuildAsync(id);

            Assert.True((string?)build["buildStatus"] == "SUCCEEDED", build.ToJsonString());
            var uuid = id.Split(':')[1];
            var root = new RequestContext(Principal.Root("000000000000"), "us-east-1", "req", "127.0.0.1", DateTimeOffset.UtcNow, CairnFixture.RootKeyId);
            var files = second.Server.Services.GetRequiredService<BuildFileService>();
            var kept = (await files.FindAsync(root, id, default))!;
            Assert.Equal(Buildspec, kept.Buildspec);
            Assert.Equal(["artifacts/assets/app.css", "artifacts/index.html"], kept.Artifacts.Select(a => a.Path));
            Assert.Equal(26, kept.Artifacts.Single(a => a.Path == "artifacts/index.html").Size);
            var download = await files.OpenArtifactAsync(root, id, "artifacts/index.html", default);
            using (var reader = new StreamReader(download.Content))
            {
                Assert.Equal("built on the first server\n", await reader.ReadToEndAsync());
            }

            Assert.Equal(26, download.Size);
            Assert.IsType<PostgresBuildFileStore>(second.Server.Services.GetRequiredService<IBuildFileStore>());
            Assert.False(Directory.Exists(Path.Combine(second.DataDirectory, "builds", uuid)), "the second server has the build's files on its own disk");
            Assert.False(Directory.Exists(Path.Combine(first.DataDirectory, "builds", uuid, "artifacts")), "the first server kept its copy of artifacts the database holds");

            // Deleting the build through the second server deletes what the first kept, for every server.
            var deleted = (await second.Aws("codebuild", "batch-delete-builds", "--ids", id)).Ok();
            Assert.Equal(id, deleted["buildsDeleted"]![0]!.GetValue<string>());
            var store = first.Server.Services.GetRequiredService<IBuildFileStore>();
            Assert.Null(await store.FindBuildspecAsync(uuid, 1024, default));
            Assert.Empty(await store.ListArtifactsAsync(uuid, 10, default));
        }
        finally
        {
            await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }
}
