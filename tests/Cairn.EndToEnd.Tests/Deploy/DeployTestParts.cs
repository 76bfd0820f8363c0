using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Cairn.Application.Pipelines.Actions;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Pipelines;
using Cairn.EndToEnd.Tests.Infrastructure;
using Cairn.Runner.Processes;
using Cairn.Storage.Artifacts;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.EndToEnd.Tests.Deploy;

/// <summary>What the deploy tests share: the swarm, test images, a pipeline role session, an action run and its progress.</summary>
internal static class DeployTestParts
{
    public const string PipelineTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codepipeline.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private static readonly SemaphoreSlim SwarmGate = new(1, 1);

    /// <summary>Puts the shared engine in swarm mode (docker swarm init on 127.0.0.1) unless it already is.</summary>
    public static async Task RequireSwarmAsync()
    {
        await DockerHost.RequireAsync();
        await SwarmGate.WaitAsync();
        try
        {
            var state = await ToolProcess.RunAsync("docker", ["info", "--format", "{{.Swarm.LocalNodeState}}"]);
            if (state.Output.Trim() != "active")
            {
                var init = await ToolProcess.RunAsync("docker", ["swarm", "init", "--advertise-addr", "127.0.0.1"]);
                Assert.True(init.Succeeded || init.Output.Contains("already part of a swarm", StringComparison.Ordinal), $"docker swarm init failed: {init.Output}");
            }
        }
        finally
        {
            SwarmGate.Release();
        }
    }

    /// <summary>
    /// Builds <paramref name="tag"/> from the busybox base image: busybox httpd on 8080 answering <paramref name="text"/>,
    /// with a 1-second HEALTHCHECK that fetches the page (or always fails when <paramref name="healthy"/> is false).
    /// </summary>
    /// <param name="retries">How many failed checks make it unhealthy: many keep a never-healthy task "starting" for minutes.</param>
    public static async Task BuildWebImageAsync(string tag, string text, bool healthy, int retries = 2)
    {
        var directory = Directory.CreateTempSubdirectory("cairn-deploy-image-").FullName;
        try
        {
            var check = healthy ? "wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1" : "echo 'the app is not ready' && exit 1";
            await File.WriteAllTextAsync(Path.Combine(directory, "Dockerfile"), $"""
                FROM {DockerHost.BaseImage}
                RUN mkdir -p /www && echo '{text}' > /www/index.html
                HEALTHCHECK --interval=1s --timeout=2s --retries={retries} CMD {check}
                CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
                """);
            var build = await ToolProcess.RunAsync("docker", ["build", "--quiet", "-t", tag, directory]);
            Assert.True(build.Succeeded, $"docker build {tag}: {build.Output}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Pushes <paramref name="tag"/> to the test registry with its credentials, then removes the local tag so the swarm must pull it.</summary>
    public static async Task PushAndForgetAsync(Registry registry, string tag)
    {
        var config = Directory.CreateTempSubdirectory("cairn-deploy-push-").FullName;
        try
        {
            var environment = new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config };
            var login = await ToolProcess.RunAsync("sh", ["-c", $"printf '%s' \"$REGISTRY_PASSWORD\" | docker login --username {Registry.UserName} --password-stdin {registry.Address}"],
                environment: new Dictionary<string, string?> { ["DOCKER_CONFIG"] = config, ["REGISTRY_PASSWORD"] = registry.Password });
            Assert.True(login.Succeeded, $"docker login: {login.Output}");
            var push = await ToolProcess.RunAsync("docker", ["push", "--quiet", tag], environment: environment);
            Assert.True(push.Succeeded, $"docker push {tag}: {push.Output}");
            await ToolProcess.RunAsync("docker", ["rmi", tag]);
        }
        finally
        {
            Directory.Delete(config, recursive: true);
        }
    }

    /// <summary>Creates a role codepipeline.amazonaws.com may assume, with <paramref name="policy"/> inline when given, and a session of it.</summary>
    public static async Task<RequestContext> PipelineRoleAsync(SeedsFixture cairn, string roleName, string? policy)
    {
        await cairn.Aws.OkAsync("iam", "create-role", "--role-name", roleName, "--assume-role-policy-document", PipelineTrust);
        if (policy is not null)
        {
            await cairn.Aws.OkAsync("iam", "put-role-policy", "--role-name", roleName, "--policy-name", "deploy", "--policy-document", policy);
        }

        var roleArn = $"arn:aws:iam::000000000000:role/{roleName}";
        var session = await cairn.Server.Services.GetRequiredService<IRoleAssumer>()
            .AssumeRoleAsServiceAsync(roleArn, "codepipeline.amazonaws.com", "deploy-test", TimeSpan.FromHours(1), CancellationToken.None);
        var principal = new Principal(PrincipalKind.AssumedRole, "000000000000", session.AssumedRoleArn, session.AssumedRoleId, roleName, "deploy-test");
        return new RequestContext(principal, "us-east-1", Guid.NewGuid().ToString(), null, DateTimeOffset.UtcNow, session.AccessKeyId);
    }

    /// <summary>An ECS deploy action's run with one input artifact.</summary>
    public static ActionRun EcsRun(RequestContext role, IReadOnlyDictionary<string, string> configuration, ArtifactLocation input) => new(
        role, new PipelineScope("000000000000", "us-east-1"), "deploy-test", 1, Guid.NewGuid().ToString(), "Deploy", "Swarm",
        Guid.NewGuid().ToString(), new ActionTypeId("Deploy", "AWS", "ECS", "1"), configuration,
        [new ActionArtifact("BuildArtifact", input)], [], input.Store, "deploy-test/x", null, "us-east-1", null);

    /// <summary>
    /// Removes the service, waits (up to a minute) for its containers to go, then removes every image of the given
    /// repositories, the ones the swarm pulled by digest (untagged) included.
    /// </summary>
    public static async Task RemoveServiceAndImagesAsync(string service, params string[] repositories)
    {
        await ToolProcess.RunAsync("docker", ["service", "rm", service]);
        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var containers = await ToolProcess.RunAsync("docker", ["ps", "--all", "--quiet", "--filter", $"label=com.docker.swarm.service.name={service}"]);
            if (containers.Output.Trim().Length == 0)
            {
                break;
            }

            await Task.Delay(500);
        }

        foreach (var repository in repositories)
        {
            var images = await ToolProcess.RunAsync("docker", ["images", "--quiet", "--no-trunc", "--filter", $"reference={repository}"]);
            var ids = images.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
            if (ids.Length > 0)
            {
                await ToolProcess.RunAsync("docker", ["rmi", "--force", .. ids]);
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>What the page at <paramref name="port"/> answers, or the error, within a few seconds.</summary>
    public static async Task<string> GetAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            return (await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/"))).Trim();
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return "no answer: " + error.Message;
        }
    }

    /// <summary>Waits (up to 2 minutes, then fails) until the page at <paramref name="port"/> answers <paramref name="expected"/>.</summary>
    public static async Task WaitForPageAsync(int port, string expected)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        string last;
        while ((last = await GetAsync(port)) != expected)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"port {port} did not answer '{expected}' within 2 minutes; last: {last}");
            await Task.Delay(500);
        }
    }
}

/// <summary>Progress that keeps every line and report, to assert on (and to look for secrets in).</summary>
internal sealed class RecordingProgress(Action<string>? onLine = null) : IActionProgress
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public Task ReportAsync(string? externalExecutionId, string? externalExecutionUrl, string? summary, CancellationToken cancellationToken)
    {
        _lines.Enqueue($"[report] {externalExecutionId} {externalExecutionUrl} {summary}");
        return Task.CompletedTask;
    }

    public void Log(string line)
    {
        _lines.Enqueue(line);
        onLine?.Invoke(line);
    }
}

/// <summary>
/// A stand-in for the pipeline's artifact store (the file store is another slice's): each archive is a directory copied
/// in and out. The deploy runner uses only ExtractAsync.
/// </summary>
internal sealed class DirectoryArtifactStore : IArtifactStore, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cairn-deploy-artifacts-").FullName;

    public Task<ArtifactLocation> PutDirectoryAsync(string store, string keyPrefix, string directory, CancellationToken cancellationToken)
    {
        var key = $"{keyPrefix}/{Guid.NewGuid():N}";
        Copy(directory, Path.Combine(_root, store, key));
        return Task.FromResult(new ArtifactLocation(store, key));
    }

    public Task ExtractAsync(ArtifactLocation location, string directory, CancellationToken cancellationToken)
    {
        var from = Path.Combine(_root, location.Store, location.Key);
        if (!Directory.Exists(from))
        {
            throw new FileNotFoundException("no such artifact", location.Key);
        }

        Copy(from, directory);
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(ArtifactLocation location, CancellationToken cancellationToken) =>
        Task.FromResult(Directory.Exists(Path.Combine(_root, location.Store, location.Key)));

    public Task DeletePrefixAsync(string store, string keyPrefix, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<ArtifactExecution>> ListExecutionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ArtifactExecution>>([]);

    /// <summary>An artifact holding one file.</summary>
    public async Task<ArtifactLocation> PutFileAsync(string name, string content)
    {
        var directory = Directory.CreateTempSubdirectory("cairn-deploy-artifact-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory, name), content);
            return await PutDirectoryAsync("deploy-store", "deploy-test", directory, CancellationToken.None);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
