using System.Text.Json.Nodes;
using Cairn.Application.Pipelines.Actions;
using Cairn.Application.Pipelines.Actions.Deploy;
using Cairn.EndToEnd.Tests.Infrastructure;
using Cairn.Runner.Processes;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Cairn.EndToEnd.Tests.Deploy;

/// <summary>
/// The ECS deploy action onto a real swarm (the shared dockerd in swarm mode), with a real htpasswd registry and the
/// cluster and registry password in a real Cairn's Parameter Store, read as a pipeline role session.
/// </summary>
// One collection with the pipeline e2e: both deploy to the swarm, and the check that no DOCKER_CONFIG is left in /dev/shm is process-wide.
[Collection("swarm deploys")]
public sealed class SwarmDeployTests(SeedsFixture cairn, ITestOutputHelper output) : IClassFixture<SeedsFixture>
{
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:us-east-1:000000000000:parameter/cairn/*"}]}""";

    [Fact]
    public async Task A_service_is_updated_to_a_healthy_image_from_the_registry_and_an_unhealthy_one_is_rolled_back()
    {
        await DeployTestParts.RequireSwarmAsync();
        var id = Guid.NewGuid().ToString("N")[..8];
        var service = $"cairn-deploy-{id}";
        var local = $"cairn-deploy-{id}/web";
        var remote = $"{cairn.Registry.Address}/cairn-deploy-{id}/web";
        var port = DeployTestParts.FreePort();
        using var store = new DirectoryArtifactStore();
        try
        {
            await DeployTestParts.BuildWebImageAsync($"{local}:v1", "version 1", healthy: true);
            await DeployTestParts.BuildWebImageAsync($"{remote}:v2", "version 2", healthy: true);
            await DeployTestParts.BuildWebImageAsync($"{remote}:bad", "bad version", healthy: false);
            await DeployTestParts.PushAndForgetAsync(cairn.Registry, $"{remote}:v2");
            await DeployTestParts.PushAndForgetAsync(cairn.Registry, $"{remote}:bad");
            var create = await ToolProcess.RunAsync("docker", ["service", "create", "--detach", "--quiet", "--name", service,
                "--publish", $"mode=host,published={port},target=8080", $"{local}:v1"]);
            Assert.True(create.Succeeded, create.Output);
            await DeployTestParts.WaitForPageAsync(port, "version 1");

            await cairn.Aws.OkAsync("ssm", "put-parameter", "--name", $"/cairn/registry/{id}/password", "--type", "SecureString", "--value", cairn.Registry.Password);
            await cairn.Aws.OkAsync("ssm", "put-parameter", "--name", $"/cairn/clusters/swarm-{id}", "--type", "String", "--value",
                new JsonObject
                {
                    ["type"] = "swarm",
                    ["dockerHost"] = "unix:///var/run/docker.sock",
                    ["registries"] = new JsonObject
                    {
                        [cairn.Registry.Address] = new JsonObject { ["username"] = Registry.UserName, ["passwordParameter"] = $"/cairn/registry/{id}/password" },
                    },
                }.ToJsonString());
            var role = await DeployTestParts.PipelineRoleAsync(cairn, $"pipeline-{id}", Policy);
            var runner = Runner(store);
            var configuration = new Dictionary<string, string> { ["ClusterName"] = $"swarm-{id}", ["ServiceName"] = service, ["DeploymentTimeout"] = "5" };

            var healthyProgress = new RecordingProgress();
            var healthy = await runner.RunAsync(
                DeployTestParts.EcsRun(role, configuration, await store.PutFileAsync("imagedefinitions.json", $$"""[{"name":"{{service}}","imageUri":"{{remote}}:v2"}]""")),
                healthyProgress, CancellationToken.None);

            Assert.True(healthy.Succeeded, $"{healthy.ErrorMessage}\n{string.Join('\n', healthyProgress.Lines)}");
            Assert.Contains($"{remote}:v2@sha256:", healthy.Summary, StringComparison.Ordinal);
            Assert.Equal("version 2", await DeployTestParts.GetAsync(port));

            var badProgress = new RecordingProgress();
            var bad = await runner.RunAsync(
                DeployTestParts.EcsRun(role, configuration, await store.PutFileAsync("imagedefinitions.json", $$"""[{"name":"{{service}}","imageUri":"{{remote}}:bad"}]""")),
                badProgress, CancellationToken.None);

            Assert.False(bad.Succeeded, string.Join('\n', badProgress.Lines));
            Assert.Equal("JobFailed", bad.ErrorCode);
            Assert.Contains("unhealthy", bad.ErrorMessage, StringComparison.Ordinal);
            Assert.Contains($"rolled service {service} back to {remote}:v2@sha256:", bad.ErrorMessage, StringComparison.Ordinal);

            // The deploy ends once the rolled-back task runs (healthy) again, not when Swarm marks the rollback completed.
            Assert.Equal("version 2", await DeployTestParts.GetAsync(port));

            var everything = string.Join('\n', healthyProgress.Lines.Concat(badProgress.Lines).Append(healthy.Summary).Append(bad.ErrorMessage));
            output.WriteLine(everything);
            Assert.DoesNotContain(cairn.Registry.Password, everything, StringComparison.Ordinal);
            Assert.Contains($"Registry {cairn.Registry.Address}: logging in as ci", everything, StringComparison.Ordinal);
            Assert.Empty(LeftBehind());
        }
        finally
        {
            await DeployTestParts.RemoveServiceAndImagesAsync(service, local, remote);
        }
    }

    [Fact]
    public async Task A_stopped_deploy_stops_waiting_and_rolls_the_service_back()
    {
        await DeployTestParts.RequireSwarmAsync();
        var id = Guid.NewGuid().ToString("N")[..8];
        var service = $"cairn-deploy-{id}";
        var repository = $"cairn-deploy-{id}/web";
        var port = DeployTestParts.FreePort();
        using var store = new DirectoryArtifactStore();
        try
        {
            await DeployTestParts.BuildWebImageAsync($"{repository}:v1", "version 1", healthy: true);
            // Never healthy, and unhealthy only after 1000 failed checks: left alone, Swarm would keep updating for many minutes.
            await DeployTestParts.BuildWebImageAsync($"{repository}:slow", "never ready", healthy: false, retries: 1000);
            var create = await ToolProcess.RunAsync("docker", ["service", "create", "--detach", "--quiet", "--name", service,
                "--publish", $"mode=host,published={port},target=8080", $"{repository}:v1"]);
            Assert.True(create.Succeeded, create.Output);
            await DeployTestParts.WaitForPageAsync(port, "version 1");
            await cairn.Aws.OkAsync("ssm", "put-parameter", "--name", $"/cairn/clusters/stop-{id}", "--type", "String", "--value", """{"type":"swarm"}""");
            var role = await DeployTestParts.PipelineRoleAsync(cairn, $"pipeline-{id}", Policy);
            using var stop = new CancellationTokenSource();
            var progress = new RecordingProgress(line =>
            {
                if (line.StartsWith("Swarm: updating", StringComparison.Ordinal))
                {
                    stop.Cancel();
                }
            });

            var run = Runner(store).RunAsync(
                DeployTestParts.EcsRun(role, new Dictionary<string, string> { ["ClusterName"] = $"stop-{id}", ["ServiceName"] = service },
                    await store.PutFileAsync("imagedefinitions.json", $$"""[{"name":"web","imageUri":"{{repository}}:slow"}]""")),
                progress, stop.Token);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
            output.WriteLine(string.Join('\n', progress.Lines));
            Assert.Contains(progress.Lines, line => line.StartsWith($"Stopped waiting: rolling service {service} back to {repository}:v1", StringComparison.Ordinal));
            var image = await ToolProcess.RunAsync("docker", ["service", "inspect", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}", service]);
            Assert.Equal($"{repository}:v1", image.Output.Trim());
            await DeployTestParts.WaitForPageAsync(port, "version 1");
            Assert.Empty(LeftBehind());
        }
        finally
        {
            await DeployTestParts.RemoveServiceAndImagesAsync(service, repository);
        }
    }

    [Fact]
    public async Task A_missing_cluster_fails_with_the_command_that_registers_it()
    {
        using var store = new DirectoryArtifactStore();
        var id = Guid.NewGuid().ToString("N")[..8];
        var role = await DeployTestParts.PipelineRoleAsync(cairn, $"pipeline-{id}", Policy);

        var outcome = await Runner(store).RunAsync(
            DeployTestParts.EcsRun(role, new Dictionary<string, string> { ["ClusterName"] = $"nowhere-{id}", ["ServiceName"] = "web" },
                await store.PutFileAsync("imagedefinitions.json", """[{"name":"web","imageUri":"web:1"}]""")),
            new RecordingProgress(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal("JobFailed", outcome.ErrorCode);
        Assert.Contains($"Cluster 'nowhere-{id}' is not registered", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains($"aws ssm put-parameter --name /cairn/clusters/nowhere-{id} --type String", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_that_may_not_read_the_cluster_fails_with_the_statement_that_allows_it()
    {
        using var store = new DirectoryArtifactStore();
        var id = Guid.NewGuid().ToString("N")[..8];
        await cairn.Aws.OkAsync("ssm", "put-parameter", "--name", $"/cairn/clusters/denied-{id}", "--type", "String", "--value", """{"type":"swarm"}""");
        var role = await DeployTestParts.PipelineRoleAsync(cairn, $"pipeline-{id}", policy: null);

        var outcome = await Runner(store).RunAsync(
            DeployTestParts.EcsRun(role, new Dictionary<string, string> { ["ClusterName"] = $"denied-{id}", ["ServiceName"] = "web" },
                await store.PutFileAsync("imagedefinitions.json", """[{"name":"web","imageUri":"web:1"}]""")),
            new RecordingProgress(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("AccessDenied", outcome.ErrorCode, StringComparison.Ordinal);
        Assert.Contains($"is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:000000000000:parameter/cairn/clusters/denied-{id}", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains($"aws iam put-role-policy --role-name pipeline-{id} --policy-name cairn-deploy-", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains($"\"Resource\":\"arn:aws:ssm:us-east-1:000000000000:parameter/cairn/clusters/denied-{id}\"", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_service_that_does_not_exist_fails_with_the_command_that_creates_it()
    {
        await DeployTestParts.RequireSwarmAsync();
        using var store = new DirectoryArtifactStore();
        var id = Guid.NewGuid().ToString("N")[..8];
        await cairn.Aws.OkAsync("ssm", "put-parameter", "--name", $"/cairn/clusters/local-{id}", "--type", "String", "--value", """{"type":"swarm","dockerHost":"unix:///var/run/docker.sock"}""");
        var role = await DeployTestParts.PipelineRoleAsync(cairn, $"pipeline-{id}", Policy);

        var outcome = await Runner(store).RunAsync(
            DeployTestParts.EcsRun(role, new Dictionary<string, string> { ["ClusterName"] = $"local-{id}", ["ServiceName"] = $"absent-{id}" },
                await store.PutFileAsync("imagedefinitions.json", """[{"name":"web","imageUri":"127.0.0.1:5000/web:1"}]""")),
            new RecordingProgress(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Contains($"Service absent-{id} does not exist on cluster 'local-{id}'", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains($"docker service create --name absent-{id} --with-registry-auth", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:5000/web:1", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    private SwarmDeployRunner Runner(DirectoryArtifactStore store) =>
        new(store, cairn.Server.Services.GetRequiredService<RoleParameterReader>(), TimeProvider.System);

    /// <summary>DOCKER_CONFIG directories or extracted inputs a deploy left behind.</summary>
    private static List<string> LeftBehind() =>
        new[] { "/dev/shm", Path.GetTempPath() }
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateDirectories(d, "cairn-deploy-*"))
            .Where(d => !Path.GetFileName(d).StartsWith("cairn-deploy-artifacts-", StringComparison.Ordinal))
            .ToList();
}
