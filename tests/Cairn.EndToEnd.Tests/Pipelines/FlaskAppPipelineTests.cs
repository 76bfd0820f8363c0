using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.EndToEnd.Tests.Deploy;
using Cairn.EndToEnd.Tests.Infrastructure;
using Cairn.Runner.Processes;
using Cairn.Server.Hosting;
using Cairn.Server.Services.PipelineSources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Cairn.EndToEnd.Tests.Pipelines;

/// <summary>
/// examples/flask-app as a pipeline, end to end with real parts: a bare git repository whose post-receive hook calls
/// Cairn's push endpoint, a connection to it, the pipeline created with the aws CLI from the example's pipeline.json
/// (Source, Build, Approve, Deploy), builds that push to a real htpasswd registry with the Parameter Store's password,
/// the approval given with put-approval-result, and a Docker Swarm service (the shared dockerd) answering on 127.0.0.1.
/// </summary>
[Collection("swarm deploys")]
public sealed class FlaskAppPipelineTests(ITestOutputHelper output)
{
    private const string RootKeyId = "AKIACAIRNPIPELINE001";
    private const string RootSecret = "end-to-end/pipeline/secret/0123456789";
    private const string Account = "000000000000";
    private const string PipelineName = "flask-app";
    private const string Repository = "team/flask-app";
    private const string PythonImage = "cairn-e2e/python-flask:bookworm";
    private const string ImageName = "sample-python-flask-app";
    private const string V0Text = "Hello, world! Built by Cairn.";
    private const string V1Text = "Version 1 of the Flask app, delivered by the Cairn pipeline.";
    private const string V2Text = "Version 2 of the Flask app, whose health check fails.";

    /// <summary>Change detection's full passes; the push hook asks for one at once.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private static readonly Dictionary<string, string?> GitIdentity = new()
    {
        ["GIT_AUTHOR_NAME"] = "e2e", ["GIT_AUTHOR_EMAIL"] = "e2e@example.com", ["GIT_COMMITTER_NAME"] = "e2e", ["GIT_COMMITTER_EMAIL"] = "e2e@example.com",
    };

    private readonly string _id = Guid.NewGuid().ToString("N")[..8];
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private AwsCli _aws = null!;

    private string SwarmService => $"cairn-pipeline-{_id}";

    private string V0Image => $"cairn-pipeline-{_id}/flask:v0";

    [Fact]
    public async Task A_push_is_built_approved_and_deployed_to_the_swarm_and_an_unhealthy_commit_is_rolled_back()
    {
        await RequirePythonImageAsync();
        await DeployTestParts.RequireSwarmAsync();
        var directory = Directory.CreateTempSubdirectory("cairn-pipeline-e2e-").FullName;
        var data = Path.Combine(directory, "data");
        using var log = new ServerLog();
        Registry? registry = null;
        CairnServer? server = null;
        try
        {
            registry = await Registry.StartAsync();
            server = await CairnServer.StartAsync(
                new CairnServerOptions { DataDirectory = data, Port = 0, RootAccessKeyId = RootKeyId, RootSecretAccessKey = RootSecret },
                services =>
                {
                    services.AddSingleton(new SourcePollingOptions { Interval = PollInterval });
                    services.AddSingleton<ILoggerProvider>(log);
                });
            var endpoint = server.Endpoint.ToString().TrimEnd('/');
            _aws = new AwsCli(endpoint, RootKeyId, RootSecret);

            var work = await RepositoriesAsync(directory, endpoint);
            var connectionArn = await ConnectionAsync(Path.Combine(directory, "repos"));
            await ParametersRolesAndProjectAsync(registry, connectionArn);
            var port = await ServiceAsync(work);

            var declaration = await PipelineFileAsync(directory, connectionArn);
            await _aws.OkAsync("codepipeline", "create-pipeline", "--cli-input-json", "file://" + declaration);
            // Change detection's first look at a new pipeline only records the branch's commit (Cairn does not start an
            // execution on CreatePipeline, as AWS does): let a pass see it before pushing.
            await Task.Delay(PollInterval * 3);

            // v1: a push starts the pipeline by itself; the build pushes the image; the approval lets the deploy run.
            Step("set up");
            var first = await CommitAndPushAsync(work, V1Text, healthy: true, []);
            var firstToken = await WaitForApprovalAsync(first);
            Step($"v1 execution {first} waits for its approval");
            await ApproveAsync(first, firstToken, "v1 looks good");
            var succeeded = await WaitForEndAsync(first);
            Assert.True(succeeded == "Succeeded", $"the v1 execution ended {succeeded}:\n{await DescribeAsync(first)}");
            await DeployTestParts.WaitForPageAsync(port, V1Text);
            Step("v1 deployed and answering");
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
            using (var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/")))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var deployed = DeployState(await StateAsync())?["latestExecution"]?["summary"]?.ToString() ?? string.Empty;
            Assert.True(deployed.Contains($"{registry.Address}/{Registry.UserName}/{ImageName}:latest@sha256:", StringComparison.Ordinal),
                $"the Deploy action's summary does not name the pushed image by digest:\n{await DescribeAsync(first)}");

            // v2: its image never turns healthy; Swarm rolls the service back and the execution says why.
            var second = await CommitAndPushAsync(work, V2Text, healthy: false, [first]);
            var secondToken = await WaitForApprovalAsync(second);
            Step($"v2 execution {second} waits for its approval");
            await ApproveAsync(second, secondToken, "v2 looks good too");
            var failed = await WaitForEndAsync(second);
            var description = await DescribeAsync(second);
            Assert.True(failed == "Failed", $"the v2 execution (unhealthy image) ended {failed}, not Failed:\n{description}");
            var state = await StateAsync();
            var deployStage = state["stageStates"]!.AsArray().Single(s => s!["stageName"]!.GetValue<string>() == "Deploy")!;
            Assert.True(deployStage["latestExecution"]?["pipelineExecutionId"]?.ToString() == second, $"the Deploy stage's latest execution is not v2's:\n{description}");
            var error = DeployState(state)?["latestExecution"]?["errorDetails"]?["message"]?.ToString() ?? string.Empty;
            Assert.True(error.Contains("unhealthy", StringComparison.Ordinal) && error.Contains($"rolled service {SwarmService} back to", StringComparison.Ordinal),
                $"the Deploy action's errorDetails do not say the image was unhealthy and the service rolled back:\n{description}");
            Assert.Equal(V1Text, await DeployTestParts.GetAsync(port));

            Step("v2 rolled back, v1 still answering");
            await NoPasswordAnywhereAsync(registry, data, log, [first, second]);
            Step("password scan done");
        }
        catch
        {
            output.WriteLine("Server log:\n" + string.Join('\n', log.Lines));
            throw;
        }
        finally
        {
            await DeployTestParts.RemoveServiceAndImagesAsync(SwarmService, V0Image, $"{registry?.Address ?? "none"}/{Registry.UserName}/{ImageName}");
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            if (registry is not null)
            {
                await registry.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0} s  {what}");

    /// <summary>scripts/python-image.sh makes the base image (minutes the first time) under a lock: wait for it rather than fail.</summary>
    private static async Task RequirePythonImageAsync()
    {
        await DockerHost.RequireAsync();
        if ((await ToolProcess.RunAsync("docker", ["image", "inspect", PythonImage])).Succeeded)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var made = await ToolProcess.RunAsync("bash", [Path.Combine(SeedsFixture.RepositoryRoot(), "scripts", "python-image.sh")], cancellationToken: timeout.Token);
        Assert.True(made.Succeeded, $"scripts/python-image.sh could not make {PythonImage} (it needs debootstrap and the Debian mirror): {made.Output}");
    }

    /// <summary>
    /// A bare repository repos/team/flask-app whose post-receive hook calls the push endpoint (as the example's README
    /// tells users to), and a work clone of examples/flask-app pushed to it. Returns the work clone.
    /// </summary>
    private static async Task<string> RepositoriesAsync(string directory, string endpoint)
    {
        var bare = Path.Combine(directory, "repos", "team", "flask-app");
        var work = Path.Combine(directory, "work");
        Directory.CreateDirectory(bare);
        await GitAsync(bare, "init", "--quiet", "--bare", "--initial-branch=main");
        var hook = Path.Combine(bare, "hooks", "post-receive");
        await File.WriteAllTextAsync(hook, $$"""
            #!/bin/sh
            curl -sS -X POST -H 'Content-Type: application/json' --data '{"repository":"{{Repository}}"}' {{endpoint}}/_cairn/hooks/git
            echo

            """);
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        var example = Path.Combine(SeedsFixture.RepositoryRoot(), "examples", "flask-app");
        foreach (var file in Directory.EnumerateFiles(example, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(work, Path.GetRelativePath(example, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        await GitAsync(work, "init", "--quiet", "--initial-branch=main");
        await GitAsync(work, "add", ".");
        await GitAsync(work, "commit", "--quiet", "-m", "The seeds' Flask app");
        await GitAsync(work, "remote", "add", "origin", bare);
        await GitAsync(work, "push", "--quiet", "origin", "main");
        return work;
    }

    /// <summary>
    /// A CodeStar connections host whose endpoint is the directory of bare repositories (a plain path: the aws CLI reads a
    /// file:// argument as a file to load), and a connection on it.
    /// </summary>
    private async Task<string> ConnectionAsync(string repositories)
    {
        var host = await _aws.OkAsync("codestar-connections", "create-host", "--name", "local-git",
            "--provider-type", "GitHubEnterpriseServer", "--provider-endpoint", repositories);
        var connection = await _aws.OkAsync("codestar-connections", "create-connection", "--connection-name", "flask-app",
            "--host-arn", host["HostArn"]!.GetValue<string>());
        return connection["ConnectionArn"]!.GetValue<string>();
    }

    /// <summary>
    /// The registry's parameters (the password a SecureString) that the build and the deploy read, the swarm's
    /// registration, the build's and the pipeline's roles with exactly what they use, and the CodeBuild project.
    /// </summary>
    private async Task ParametersRolesAndProjectAsync(Registry registry, string connectionArn)
    {
        await _aws.OkAsync("ssm", "put-parameter", "--name", "my_app_Docker_registry_URL", "--value", registry.Address, "--type", "String");
        await _aws.OkAsync("ssm", "put-parameter", "--name", "my_app_Docker_credentials_username", "--value", Registry.UserName, "--type", "String");
        await _aws.OkAsync("ssm", "put-parameter", "--name", "my_app_Docker_credentials_password", "--value", registry.Password, "--type", "SecureString");
        await _aws.OkAsync("ssm", "put-parameter", "--name", "/cairn/clusters/local-swarm", "--type", "String", "--value", new JsonObject
        {
            ["type"] = "swarm",
            ["dockerHost"] = "unix:///var/run/docker.sock",
            ["registries"] = new JsonObject
            {
                [registry.Address] = new JsonObject { ["username"] = Registry.UserName, ["passwordParameter"] = "my_app_Docker_credentials_password" },
            },
        }.ToJsonString());

        var parameters = $"arn:aws:ssm:us-east-1:{Account}:parameter/";
        await RoleAsync("flask-app-build", "codebuild.amazonaws.com", new JsonArray
        {
            Allow(["ssm:GetParameters"], [parameters + "my_app_Docker_registry_URL", parameters + "my_app_Docker_credentials_username", parameters + "my_app_Docker_credentials_password"]),
        });
        await RoleAsync("codepipeline-flask-app", "codepipeline.amazonaws.com", new JsonArray
        {
            Allow(["codebuild:StartBuild", "codebuild:BatchGetBuilds", "codebuild:StopBuild"], [$"arn:aws:codebuild:us-east-1:{Account}:project/flask-app"]),
            Allow(["codestar-connections:UseConnection"], [connectionArn]),
            Allow(["ssm:GetParameter"], [parameters + "cairn/clusters/local-swarm", parameters + "my_app_Docker_credentials_password"]),
        });

        await _aws.OkAsync("codebuild", "create-project", "--name", "flask-app",
            "--source", "type=CODEPIPELINE", "--artifacts", "type=CODEPIPELINE",
            "--environment", $"type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL,privilegedMode=true,environmentVariables=[{{name=BASE_IMAGE,value={PythonImage}}}]",
            "--service-role", $"arn:aws:iam::{Account}:role/flask-app-build");
    }

    private async Task RoleAsync(string name, string service, JsonArray statements)
    {
        var trust = new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray { new JsonObject { ["Effect"] = "Allow", ["Principal"] = new JsonObject { ["Service"] = service }, ["Action"] = "sts:AssumeRole" } },
        };
        await _aws.OkAsync("iam", "create-role", "--role-name", name, "--assume-role-policy-document", trust.ToJsonString());
        await _aws.OkAsync("iam", "put-role-policy", "--role-name", name, "--policy-name", "pipeline-story",
            "--policy-document", new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = statements }.ToJsonString());
    }

    private static JsonObject Allow(string[] actions, string[] resources) => new()
    {
        ["Effect"] = "Allow",
        ["Action"] = new JsonArray(actions.Select(a => (JsonNode)a).ToArray()),
        ["Resource"] = new JsonArray(resources.Select(r => (JsonNode)r).ToArray()),
    };

    /// <summary>The swarm service the pipeline deploys to, made from the first commit's image (v0) with a host-mode port; returns the port.</summary>
    private async Task<int> ServiceAsync(string work)
    {
        var build = await ToolProcess.RunAsync("docker", ["build", "--quiet", "--build-arg", $"BASE_IMAGE={PythonImage}", "-t", V0Image, "."],
            Path.Combine(work, "day14", "simple_python_app"));
        Assert.True(build.Succeeded, $"docker build of the v0 image: {build.Output}");
        var port = DeployTestParts.FreePort();
        var create = await ToolProcess.RunAsync("docker", ["service", "create", "--detach", "--quiet", "--name", SwarmService,
            "--publish", $"mode=host,published={port},target=5000", V0Image]);
        Assert.True(create.Succeeded, $"docker service create: {create.Output}");
        await DeployTestParts.WaitForPageAsync(port, V0Text);
        return port;
    }

    /// <summary>
    /// examples/flask-app/pipeline.json as the installed aws CLI (2.9) can send it: its model predates V2 pipelines, so
    /// pipelineType, executionMode, variables and triggers are left out and the pipeline variables' references take
    /// their defaults (what the engine would resolve them to). The connection and the service are this run's.
    /// </summary>
    private async Task<string> PipelineFileAsync(string directory, string connectionArn)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(SeedsFixture.RepositoryRoot(), "examples", "flask-app", "pipeline.json"));
        var declared = JsonNode.Parse(text)!["pipeline"]!;
        foreach (var variable in declared["variables"]?.AsArray() ?? [])
        {
            text = text.Replace($"#{{variables.{variable!["name"]}}}", variable["defaultValue"]!.ToString(), StringComparison.Ordinal);
        }

        var input = JsonNode.Parse(text)!.AsObject();
        var pipeline = input["pipeline"]!.AsObject();
        foreach (var member in new[] { "pipelineType", "executionMode", "variables", "triggers" })
        {
            pipeline.Remove(member);
        }

        Assert.Equal(PipelineName, pipeline["name"]!.GetValue<string>());
        Assert.DoesNotContain("#{variables.", pipeline.ToJsonString(), StringComparison.Ordinal);
        Action(pipeline, "Source")["configuration"]!["ConnectionArn"] = connectionArn;
        Assert.Equal(Repository, Action(pipeline, "Source")["configuration"]!["FullRepositoryId"]!.GetValue<string>());
        Action(pipeline, "Deploy")["configuration"]!["ServiceName"] = JsonValue.Create(SwarmService);
        var path = Path.Combine(directory, "pipeline.json");
        await File.WriteAllTextAsync(path, input.ToJsonString());
        return path;
    }

    private static JsonObject Action(JsonObject pipeline, string stage) =>
        pipeline["stages"]!.AsArray().Single(s => s!["name"]!.GetValue<string>() == stage)!["actions"]![0]!.AsObject();

    /// <summary>Changes the page's text (and, for an unhealthy commit, makes /health answer 500), commits, pushes; returns the execution the push started.</summary>
    private async Task<string> CommitAndPushAsync(string work, string text, bool healthy, IReadOnlyList<string> earlier)
    {
        var app = Path.Combine(work, "day14", "simple_python_app", "app.py");
        var source = await File.ReadAllTextAsync(app);
        var page = source.IndexOf("    return '", source.IndexOf("def hello", StringComparison.Ordinal), StringComparison.Ordinal);
        var end = source.IndexOf('\n', page);
        source = source[..page] + $"    return '{text}\\n'" + source[end..];
        if (!healthy)
        {
            Assert.Contains("    return 'ok\\n'", source, StringComparison.Ordinal);
            source = source.Replace("    return 'ok\\n'", "    return 'broken\\n', 500", StringComparison.Ordinal);
        }

        await File.WriteAllTextAsync(app, source);
        await GitAsync(work, "commit", "--quiet", "-am", text);
        var push = await GitAsync(work, "push", "origin", "main");
        Assert.Contains("Change detection will look at the repository now", push, StringComparison.Ordinal);

        var deadline = DateTimeOffset.UtcNow.AddMinutes(1);
        while (true)
        {
            var executions = (await _aws.OkAsync("codepipeline", "list-pipeline-executions", "--pipeline-name", PipelineName))["pipelineExecutionSummaries"]!.AsArray();
            if (executions.Select(e => e!["pipelineExecutionId"]!.GetValue<string>()).FirstOrDefault(id => !earlier.Contains(id)) is { } started)
            {
                Assert.Equal(earlier.Count + 1, executions.Count);
                return started;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"no execution started within a minute of pushing '{text}' (git push said: {push}); executions: {executions.ToJsonString()}");
            await Task.Delay(500);
        }
    }

    /// <summary>Waits (up to 4 minutes) until <paramref name="execution"/> waits in Approve; returns the approval's token.</summary>
    private async Task<string> WaitForApprovalAsync(string execution)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(4);
        while (true)
        {
            var approve = (await StateAsync())["stageStates"]!.AsArray().Single(s => s!["stageName"]!.GetValue<string>() == "Approve")!;
            var latest = approve["actionStates"]![0]!["latestExecution"];
            if (approve["latestExecution"]?["pipelineExecutionId"]?.ToString() == execution && latest?["status"]?.ToString() == "InProgress"
                && latest["token"]?.ToString() is { Length: > 0 } token)
            {
                return token;
            }

            var status = await StatusAsync(execution);
            Assert.True(status == "InProgress", $"execution {execution} ended {status} before its approval:\n{await DescribeAsync(execution)}");
            Assert.True(DateTimeOffset.UtcNow < deadline, $"execution {execution} did not reach its approval within 4 minutes:\n{await DescribeAsync(execution)}");
            await Task.Delay(1000);
        }
    }

    private Task ApproveAsync(string execution, string token, string summary) =>
        _aws.OkAsync("codepipeline", "put-approval-result", "--pipeline-name", PipelineName, "--stage-name", "Approve", "--action-name", "Manual",
            "--result", new JsonObject { ["summary"] = $"{summary} ({execution})", ["status"] = "Approved" }.ToJsonString(), "--token", token);

    /// <summary>Waits (up to 3 minutes) until <paramref name="execution"/> is no longer InProgress; returns its status.</summary>
    private async Task<string> WaitForEndAsync(string execution)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(3);
        string status;
        while ((status = await StatusAsync(execution)) == "InProgress")
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"execution {execution} did not end within 3 minutes of its approval:\n{await DescribeAsync(execution)}");
            await Task.Delay(1000);
        }

        return status;
    }

    private async Task<string> StatusAsync(string execution) =>
        (await _aws.OkAsync("codepipeline", "get-pipeline-execution", "--pipeline-name", PipelineName, "--pipeline-execution-id", execution))
        ["pipelineExecution"]!["status"]!.GetValue<string>();

    private Task<JsonNode> StateAsync() => _aws.OkAsync("codepipeline", "get-pipeline-state", "--name", PipelineName);

    private static JsonNode? DeployState(JsonNode state) =>
        state["stageStates"]!.AsArray().Single(s => s!["stageName"]!.GetValue<string>() == "Deploy")!["actionStates"]![0];

    /// <summary>What the API says of an execution, for assertion messages and the password scan.</summary>
    private async Task<string> DescribeAsync(string execution)
    {
        var parts = new[]
        {
            await _aws.RunAsync("codepipeline", "get-pipeline-execution", "--pipeline-name", PipelineName, "--pipeline-execution-id", execution),
            await _aws.RunAsync("codepipeline", "get-pipeline-state", "--name", PipelineName),
            await _aws.RunAsync("codepipeline", "list-action-executions", "--pipeline-name", PipelineName, "--filter", $"pipelineExecutionId={execution}"),
        };
        return string.Join('\n', parts.Select(p => p.Stdout + p.Stderr));
    }

    /// <summary>
    /// The registry password (and the docker login's base64 of user:password) appears nowhere: the server's log, every
    /// build's log, the pipeline API's answers, and every file of the data directory, archives decompressed.
    /// </summary>
    private async Task NoPasswordAnywhereAsync(Registry registry, string data, ServerLog log, IReadOnlyList<string> executions)
    {
        var secrets = new[] { registry.Password, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Registry.UserName}:{registry.Password}")) };
        void Check(string text, string where)
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"the registry password appears in {where}");
            }
        }

        var serverLog = string.Join('\n', log.Lines);
        Assert.Contains("Source change: pipeline flask-app", serverLog, StringComparison.Ordinal);
        Check(serverLog, "the server's log");

        var builds = (await _aws.OkAsync("codebuild", "list-builds-for-project", "--project-name", "flask-app"))["ids"]!.AsArray();
        Assert.Equal(2, builds.Count);
        foreach (var id in builds)
        {
            var build = (await _aws.OkAsync("codebuild", "batch-get-builds", "--ids", id!.GetValue<string>()))["builds"]![0]!;
            Check(build.ToJsonString(), $"batch-get-builds of {id}");
            var events = await _aws.OkAsync("logs", "get-log-events", "--start-from-head",
                "--log-group-name", build["logs"]!["groupName"]!.GetValue<string>(), "--log-stream-name", build["logs"]!["streamName"]!.GetValue<string>());
            var text = string.Concat(events["events"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()));
            Assert.Contains("Login Succeeded", text, StringComparison.Ordinal);
            Check(text, $"the log of build {id}");
        }

        foreach (var execution in executions)
        {
            Check(await DescribeAsync(execution), $"the pipeline API's answers about execution {execution}");
        }

        Check((await _aws.RunAsync("codepipeline", "list-pipeline-executions", "--pipeline-name", PipelineName)).Stdout, "list-pipeline-executions");
        Check((await _aws.RunAsync("codepipeline", "get-pipeline", "--name", PipelineName)).Stdout, "get-pipeline");

        var archives = 0;
        var definitions = 0;
        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            try
            {
                await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                bytes = copy.ToArray();
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            if (bytes is [0x1f, 0x8b, ..])
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var tar = new MemoryStream();
                await gzip.CopyToAsync(tar);
                bytes = tar.ToArray();
                archives++;
            }

            var text = Encoding.UTF8.GetString(bytes);
            definitions += text.Contains("imagedefinitions.json", StringComparison.Ordinal) ? 1 : 0;
            Check(text, $"the data directory's {Path.GetRelativePath(data, file)}");
        }

        Assert.True(archives >= 4, $"the data directory holds {archives} compressed archives; the two executions stored at least two sources and two build outputs");
        Assert.True(definitions >= 2, "no archive in the data directory holds imagedefinitions.json: the scan did not reach the build's output artifacts");
        output.WriteLine($"Scanned the server log, {builds.Count} build logs, the API's answers and the data directory ({archives} archives): no password.");
    }

    private static async Task<string> GitAsync(string repository, params string[] arguments)
    {
        var result = await ToolProcess.RunAsync("git", ["-C", repository, .. arguments], environment: GitIdentity);
        Assert.True(result.Succeeded, $"git {string.Join(' ', arguments)} in {repository}: {result.Output}");
        return result.Output;
    }
}
