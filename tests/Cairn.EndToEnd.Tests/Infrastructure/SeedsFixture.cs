using System.Text.Json.Nodes;
using Cairn.Runner.Processes;
using Cairn.Server.Hosting;

namespace Cairn.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Everything the seeds' story needs, for real: Docker, a registry with htpasswd auth, an in-process Cairn, the aws CLI
/// pointed at it as the account's root, and a git repository of examples/flask-app (branch main, and branch
/// seeds-typo whose buildspec has the seeds' path typo).
/// </summary>
public sealed class SeedsFixture : IAsyncLifetime
{
    public const string RootKeyId = "AKIACAIRNENDTOEND001";
    public const string RootSecret = "end-to-end/root/secret/0123456789";
    public const string TypoBranch = "seeds-typo";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-e2e-").FullName;
    private CairnServer? _server;
    private Registry? _registry;

    public CairnServer Server => _server ?? throw new InvalidOperationException("not started");

    public Registry Registry => _registry ?? throw new InvalidOperationException("not started");

    public AwsCli Aws { get; private set; } = null!;

    public string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>file:// URL of the git repository made from examples/flask-app.</summary>
    public string RepositoryUrl => "file://" + Path.Combine(_directory, "flask-app");

    public async Task InitializeAsync()
    {
        await DockerHost.RequireAsync();
        _registry = await Registry.StartAsync();
        _server = await CairnServer.StartAsync(new CairnServerOptions
        {
            DataDirectory = DataDirectory,
            Port = 0,
            RootAccessKeyId = RootKeyId,
            RootSecretAccessKey = RootSecret,
        });
        Aws = new AwsCli(Server.Endpoint.ToString().TrimEnd('/'), RootKeyId, RootSecret);
        await MakeRepositoryAsync(Path.Combine(_directory, "flask-app"));
    }

    /// <summary>Starts a build and waits (up to 5 minutes, then fails) until it is complete; returns BatchGetBuilds' build.</summary>
    public async Task<JsonNode> RunBuildAsync(params string[] startBuildArguments)
    {
        var started = await Aws.OkAsync(["codebuild", "start-build", .. startBuildArguments]);
        var id = started["build"]!["id"]!.GetValue<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        while (true)
        {
            var build = (await Aws.OkAsync("codebuild", "batch-get-builds", "--ids", id))["builds"]![0]!;
            if (build["buildComplete"]!.GetValue<bool>())
            {
                return build;
            }

            Assert.False(deadline.IsCancellationRequested, $"build {id} did not finish in 5 minutes: {build.ToJsonString()}");
            await Task.Delay(500);
        }
    }

    /// <summary>Every message of the build's log, through CloudWatch Logs' GetLogEvents as the aws CLI reads it.</summary>
    public async Task<string> LogAsync(JsonNode build)
    {
        var events = await Aws.OkAsync("logs", "get-log-events", "--start-from-head",
            "--log-group-name", build["logs"]!["groupName"]!.GetValue<string>(),
            "--log-stream-name", build["logs"]!["streamName"]!.GetValue<string>());
        return string.Concat(events["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()));
    }

    private static async Task MakeRepositoryAsync(string repository)
    {
        CopyDirectory(Path.Combine(RepositoryRoot(), "examples", "flask-app"), repository);
        var environment = new Dictionary<string, string?>
        {
            ["GIT_AUTHOR_NAME"] = "e2e", ["GIT_AUTHOR_EMAIL"] = "e2e@example.com", ["GIT_COMMITTER_NAME"] = "e2e", ["GIT_COMMITTER_EMAIL"] = "e2e@example.com",
        };
        async Task Git(params string[] arguments)
        {
            var result = await ToolProcess.RunAsync("git", ["-C", repository, .. arguments], environment: environment);
            Assert.True(result.Succeeded, $"git {string.Join(' ', arguments)}: {result.Output}");
        }

        await Git("init", "--quiet", "--initial-branch=main");
        await Git("add", ".");
        await Git("commit", "--quiet", "-m", "The seeds' Flask app");
        await Git("checkout", "--quiet", "-b", TypoBranch);
        var buildspec = Path.Combine(repository, "buildspec.yml");
        var text = await File.ReadAllTextAsync(buildspec);
        Assert.Contains("cd day14/simple_python_app", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(buildspec, text.Replace("cd day14/simple_python_app", "cd day14/sample_python_app", StringComparison.Ordinal));
        await Git("commit", "--quiet", "-am", "The seeds' typo");
        await Git("checkout", "--quiet", "main");
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cairn.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cairn.slnx not found above " + AppContext.BaseDirectory);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_registry is not null)
        {
            // The images the builds tagged for this run's registry would otherwise pile up in the engine run after run.
            var images = await ToolProcess.RunAsync("docker", ["images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", $"reference={_registry.Address}/*/*"]);
            var tags = images.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (tags.Length > 0)
            {
                await ToolProcess.RunAsync("docker", ["rmi", "--force", .. tags]);
            }

            await _registry.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}
