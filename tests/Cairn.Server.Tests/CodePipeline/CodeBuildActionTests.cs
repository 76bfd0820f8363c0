using System.Data.Common;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Application.Pipelines.Actions;
using Cairn.Application.Pipelines.Actions.CodeBuild;
using Cairn.Core.Builds;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Pipelines;
using Cairn.Server.Aws.SigV4;
using Cairn.Server.Hosting;
using Cairn.Server.Services.CodeBuild;
using Cairn.Storage.Artifacts;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.CodePipeline;

/// <summary>
/// The CodeBuild action against a real server: real roles and policies, a real project, real host builds through the
/// server's build path (queue, orchestrator, executor), the real artifact store. Only the engine is played by the test.
/// </summary>
public sealed class CodeBuildActionTests : IAsyncLifetime, IDisposable
{
    private const string KeyId = "AKIACODEBUILDACTION1";
    private const string Secret = "codebuild-action-secret-0123456789abcdef";
    private const string Account = "000000000000";
    private const string Store = "cairn-artifacts";
    private const string TokenValue = "tok-5ecr3t-value-91";

    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-codebuild-action-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private CairnServer _server = null!;

    private IArtifactStore Artifacts => _server.Services.GetRequiredService<IArtifactStore>();

    private CodeBuildActionRunner Runner => _server.Services.GetServices<IPipelineActionRunner>().OfType<CodeBuildActionRunner>().Single();

    public async Task InitializeAsync()
    {
        // Host builds without bubblewrap: a server running as root with the sandbox loses every build's exported
        // variables today (the executor's export file is root-only and the build user cannot write it), so this would fail there.
        _server = await CairnServer.StartAsync(
            new CairnServerOptions { DataDirectory = Path.Combine(_directory, "data"), Port = 0, RootAccessKeyId = KeyId, RootSecretAccessKey = Secret },
            services => services.AddSingleton(new CodeBuildOptions { HostBuildIsolation = HostBuildIsolation.None }));
        await IamAsync("Action=CreateRole&RoleName=pipeline-role&AssumeRolePolicyDocument=" + Uri.EscapeDataString(Trust("codepipeline.amazonaws.com")));
        await IamAsync("Action=PutRolePolicy&RoleName=pipeline-role&PolicyName=builds&PolicyDocument="
            + Uri.EscapeDataString("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:StartBuild","codebuild:BatchGetBuilds","codebuild:StopBuild"],"Resource":"*"}]}"""));
        await IamAsync("Action=CreateRole&RoleName=weak-pipeline-role&AssumeRolePolicyDocument=" + Uri.EscapeDataString(Trust("codepipeline.amazonaws.com")));
        await IamAsync("Action=CreateRole&RoleName=build-role&AssumeRolePolicyDocument=" + Uri.EscapeDataString(Trust("codebuild.amazonaws.com")));
        await IamAsync("Action=PutRolePolicy&RoleName=build-role&PolicyName=params&PolicyDocument="
            + Uri.EscapeDataString("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:GetParameters","ssm:GetParameter"],"Resource":"*"}]}"""));
        await CallAsync("ssm", "AmazonSSM.PutParameter", $$"""{"Name":"/app/token","Value":"{{TokenValue}}","Type":"SecureString"}""");
        await CallAsync("codebuild", "CodeBuild_20161006.CreateProject", $$"""
            {"name":"app","source":{"type":"CODEPIPELINE"},"artifacts":{"type":"CODEPIPELINE"},
             "environment":{"type":"LINUX_EC2","image":"host","computeType":"BUILD_GENERAL1_SMALL"},
             "serviceRole":"arn:aws:iam::{{Account}}:role/build-role"}
            """);
    }

    public void Dispose() => _http.Dispose();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Trust(string service) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"{{service}}"},"Action":"sts:AssumeRole"}]}""";

    [Fact]
    public async Task A_build_gets_its_input_and_variables_and_the_action_ends_with_its_output_artifact_and_exported_variables()
    {
        var source = await InputAsync("SourceArtifact", """
            version: 0.2
            env:
              exported-variables:
                - IMAGE_TAG
                - TOKEN
            phases:
              build:
                commands:
                  - export IMAGE_TAG="v1-$STAGE"
                  - test "$TOKEN" = "TOKEN_VALUE"
                  - mkdir -p out/bin && echo built > out/result.txt && cp run.sh out/bin/
            artifacts:
              base-directory: out
              files:
                - '**/*'
            """.Replace("TOKEN_VALUE", TokenValue, StringComparison.Ordinal));
        var progress = new RecordingProgress();
        var run = Run(source, outputs: ["BuildArtifact"], configuration: new()
        {
            ["ProjectName"] = "app",
            ["EnvironmentVariables"] = """[{"name":"STAGE","value":"prod","type":"PLAINTEXT"},{"name":"TOKEN","value":"/app/token","type":"PARAMETER_STORE"}]""",
        });

        var outcome = await Runner.RunAsync(run, progress, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        Assert.Equal("v1-prod", outcome.OutputVariables["IMAGE_TAG"]);
        Assert.False(outcome.OutputVariables.ContainsKey("TOKEN"));
        Assert.DoesNotContain(outcome.OutputVariables.Values, v => v.Contains(TokenValue, StringComparison.Ordinal));
        var artifact = Assert.Single(outcome.Outputs);
        Assert.Equal("BuildArtifact", artifact.Name);
        Assert.StartsWith("flask/exec-1/BuildArtifact/", artifact.Location.Key, StringComparison.Ordinal);
        var extracted = Path.Combine(_directory, "extracted");
        await Artifacts.ExtractAsync(artifact.Location, extracted, CancellationToken.None);
        Assert.Equal(["bin/run.sh", "result.txt"], Files(extracted));
        Assert.Equal("built\n", await File.ReadAllTextAsync(Path.Combine(extracted, "result.txt")));
        Assert.True(File.GetUnixFileMode(Path.Combine(extracted, "bin", "run.sh")).HasFlag(UnixFileMode.UserExecute));

        var (buildId, link) = Assert.Single(progress.Reports);
        Assert.Equal(outcome.ExternalExecutionId, buildId);
        Assert.Contains("/_cairn/builds/", link, StringComparison.Ordinal);
        var build = (await BatchGetBuildAsync(buildId!))!;
        Assert.Equal("codepipeline/flask", build["initiator"]!.GetValue<string>());
        Assert.Equal("CODEPIPELINE", build["source"]!["type"]!.GetValue<string>());
        Assert.Equal(source.Location.S3Arn, build["source"]!["location"]!.GetValue<string>());
        Assert.Equal(artifact.Location.S3Arn, build["artifacts"]!["location"]!.GetValue<string>());
        Assert.DoesNotContain(TokenValue, build.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secondary_inputs_are_in_their_own_directories_and_several_outputs_come_from_secondary_artifacts()
    {
        var source = await InputAsync("Source", """
            version: 0.2
            phases:
              build:
                commands:
                  - cat "$CODEBUILD_SRC_DIR_Config/settings.txt" > merged.txt
                  - echo docs > readme.txt
            artifacts:
              secondary-artifacts:
                App:
                  files:
                    - merged.txt
                Docs:
                  files:
                    - readme.txt
            """);
        var config = await InputAsync("Config", null, ("settings.txt", "from the config artifact\n"));
        var run = Run(source, outputs: ["App", "Docs"], configuration: new() { ["ProjectName"] = "app", ["PrimarySource"] = "Source" }) with
        {
            Inputs = [config, source],
        };

        var outcome = await Runner.RunAsync(run, new RecordingProgress(), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        Assert.Equal(["App", "Docs"], outcome.Outputs.Select(o => o.Name));
        var app = Path.Combine(_directory, "app");
        await Artifacts.ExtractAsync(outcome.Outputs[0].Location, app, CancellationToken.None);
        Assert.Equal("from the config artifact\n", await File.ReadAllTextAsync(Path.Combine(app, "merged.txt")));
        var build = (await BatchGetBuildAsync(outcome.ExternalExecutionId!))!;
        Assert.Equal("Config", build["secondarySources"]![0]!["sourceIdentifier"]!.GetValue<string>());
        Assert.Equal(source.Location.S3Arn, build["source"]!["location"]!.GetValue<string>());
        Assert.Equal("Docs", build["secondaryArtifacts"]![0]!["artifactIdentifier"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_build_fails_the_action_with_the_phase_and_its_message()
    {
        var source = await InputAsync("SourceArtifact", """
            version: 0.2
            phases:
              build:
                commands:
                  - exit 3
            """);

        var outcome = await Runner.RunAsync(Run(source, outputs: [], configuration: new() { ["ProjectName"] = "app" }), new RecordingProgress(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal("JobFailed", outcome.ErrorCode);
        Assert.StartsWith("Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR, Message: Error while executing command: exit 3", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.NotNull(outcome.ExternalExecutionId);
    }

    [Fact]
    public async Task A_pipeline_role_without_codebuild_StartBuild_fails_the_action_with_AWSs_text_and_the_statement_to_add()
    {
        var source = await InputAsync("SourceArtifact", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n");
        var run = Run(source, outputs: [], configuration: new() { ["ProjectName"] = "app" }, role: "weak-pipeline-role");

        var outcome = await Runner.RunAsync(run, new RecordingProgress(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal("JobFailed", outcome.ErrorCode);
        Assert.StartsWith("Error calling startBuild: User: arn:aws:sts::000000000000:assumed-role/weak-pipeline-role/", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("is not authorized to perform: codebuild:StartBuild on resource: arn:aws:codebuild:us-east-1:000000000000:project/app", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("aws iam put-role-policy --role-name weak-pipeline-role", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Null(outcome.ExternalExecutionId);
        var builds = await CallAsync("codebuild", "CodeBuild_20161006.ListBuildsForProject", """{"projectName":"app"}""");
        Assert.Empty(builds["ids"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"name":"X"}""", "it must be a JSON array")]
    [InlineData("""[{"name":"X","value":"v"},""", "it is not JSON")]
    [InlineData("""[{"name":"X","value":"v","type":"SECRETS_MANAGER"}]""", "Secrets Manager is not available in Cairn")]
    [InlineData("""[{"name":"X","value":"v","type":"PLAIN"}]""", "PLAINTEXT (the default) or PARAMETER_STORE")]
    public async Task Bad_environment_variables_fail_the_action_before_any_build_with_what_is_wrong(string variables, string expected)
    {
        var source = await InputAsync("SourceArtifact", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n");

        var outcome = await Runner.RunAsync(
            Run(source, outputs: [], configuration: new() { ["ProjectName"] = "app", ["EnvironmentVariables"] = variables }), new RecordingProgress(), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal("ConfigurationError", outcome.ErrorCode);
        Assert.Contains(expected, outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty((await CallAsync("codebuild", "CodeBuild_20161006.ListBuildsForProject", """{"projectName":"app"}"""))["ids"]!.AsArray());
    }

    [Fact]
    public async Task Batch_builds_and_a_missing_primary_source_are_configuration_errors()
    {
        var a = await InputAsync("A", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n");
        var b = await InputAsync("B", null, ("x", "y"));

        var batch = await Runner.RunAsync(Run(a, [], new() { ["ProjectName"] = "app", ["BatchEnabled"] = "true" }), new RecordingProgress(), CancellationToken.None);
        var noPrimary = await Runner.RunAsync(Run(a, [], new() { ["ProjectName"] = "app" }) with { Inputs = [a, b] }, new RecordingProgress(), CancellationToken.None);
        var typo = await Runner.RunAsync(Run(a, [], new() { ["ProjectName"] = "app", ["PrimarySource"] = "a" }) with { Inputs = [a, b] }, new RecordingProgress(), CancellationToken.None);

        Assert.Contains("batch builds are not available in Cairn", batch.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("needs PrimarySource", noPrimary.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("did you mean 'A'?", typo.ErrorMessage, StringComparison.Ordinal);
        Assert.All([batch, noPrimary, typo], o => Assert.Equal("ConfigurationError", o.ErrorCode));
    }

    [Fact]
    public async Task Resuming_with_a_build_id_attaches_to_that_build_instead_of_starting_another()
    {
        var source = await InputAsync("SourceArtifact", "version: 0.2\nenv:\n  exported-variables:\n    - N\nphases:\n  build:\n    commands:\n      - export N=1\n");
        var first = await Runner.RunAsync(Run(source, [], new() { ["ProjectName"] = "app" }), new RecordingProgress(), CancellationToken.None);

        var resumed = await Runner.RunAsync(Run(source, [], new() { ["ProjectName"] = "app" }) with { ExternalExecutionId = first.ExternalExecutionId }, new RecordingProgress(), CancellationToken.None);

        Assert.True(resumed.Succeeded, resumed.ErrorMessage);
        Assert.Equal(first.ExternalExecutionId, resumed.ExternalExecutionId);
        Assert.Equal("1", resumed.OutputVariables["N"]);
        Assert.Single((await CallAsync("codebuild", "CodeBuild_20161006.ListBuildsForProject", """{"projectName":"app"}"""))["ids"]!.AsArray());
    }

    [Fact]
    public async Task A_build_that_runs_in_this_server_wakes_the_action_when_it_ends_without_waiting_for_the_next_poll()
    {
        var source = await InputAsync("SourceArtifact", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n");
        // Read again only once an hour: only the build's end, noticed in this process, can end the action within the test's minute.
        var runner = new CodeBuildActionRunner(
            _server.Services.GetRequiredService<Cairn.Application.Builds.BuildService>(),
            _server.Services.GetRequiredService<Cairn.Application.Builds.BuildQueue>(),
            new CodeBuildActionSettings(_ => null) { PollInterval = TimeSpan.FromHours(1) });

        var outcome = await runner.RunAsync(Run(source, [], new() { ["ProjectName"] = "app" }), new RecordingProgress(), CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
    }

    [Fact]
    public async Task Stopping_the_execution_stops_the_build()
    {
        var source = await InputAsync("SourceArtifact", "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 120\n");
        using var stop = new CancellationTokenSource();
        var progress = new RecordingProgress { OnReport = stop.CancelAfter };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner.RunAsync(Run(source, [], new() { ["ProjectName"] = "app" }), progress, stop.Token));

        var build = await CompletedAsync(progress.Reports.Single().Id!);
        Assert.Equal("STOPPED", build["buildStatus"]!.GetValue<string>());
        Assert.Contains(progress.Lines, l => l.StartsWith("Stopped build ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartBuild_over_the_wire_cannot_give_a_build_a_pipelines_artifacts()
    {
        var source = await InputAsync("SourceArtifact", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n");

        // A member no StartBuild has is not read (the model's shapes decide what a request can say), and the source overrides
        // that name an artifact give a build that is no pipeline's: it fails at DOWNLOAD_SOURCE without reading the artifact.
        var withMember = await CallAsync("codebuild", "CodeBuild_20161006.StartBuild",
            $$$"""{"projectName":"app","pipeline":{"pipelineName":"flask","inputs":[{"name":"S","store":"{{{Store}}}","key":"{{{source.Location.Key}}}"}]}}""");
        var withOverrides = await CallAsync("codebuild", "CodeBuild_20161006.StartBuild",
            $$"""{"projectName":"app","sourceTypeOverride":"CODEPIPELINE","sourceLocationOverride":"{{source.Location.S3Arn}}"}""");

        foreach (var started in new[] { withMember, withOverrides })
        {
            var build = await CompletedAsync(started["build"]!["id"]!.GetValue<string>());
            Assert.Equal("FAILED", build["buildStatus"]!.GetValue<string>());
            Assert.Equal("root", build["initiator"]!.GetValue<string>());
            var download = build["phases"]!.AsArray().Single(p => p!["phaseType"]!.GetValue<string>() == "DOWNLOAD_SOURCE")!;
            Assert.Equal("FAILED", download["phaseStatus"]!.GetValue<string>());
            Assert.Contains("only available to builds a pipeline starts", download["contexts"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    private async Task<JsonObject> CompletedAsync(string id)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        JsonObject build;
        while (!(build = (await BatchGetBuildAsync(id))!)["buildComplete"]!.GetValue<bool>())
        {
            await Task.Delay(200, deadline.Token);
        }

        return build;
    }

    /// <summary>An input artifact in the store: a directory with the buildspec (when given) and an executable run.sh, plus <paramref name="files"/>.</summary>
    private async Task<ActionArtifact> InputAsync(string name, string? buildspec, params (string Path, string Text)[] files)
    {
        var directory = Path.Combine(_directory, "inputs", name + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        if (buildspec is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "buildspec.yml"), buildspec);
            await File.WriteAllTextAsync(Path.Combine(directory, "run.sh"), "#!/bin/sh\necho run\n");
            File.SetUnixFileMode(Path.Combine(directory, "run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var (path, text) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, path), text);
        }

        return new ActionArtifact(name, await Artifacts.PutDirectoryAsync(Store, "flask/exec-0/" + name, directory, CancellationToken.None));
    }

    private ActionRun Run(ActionArtifact input, string[] outputs, Dictionary<string, string> configuration, string role = "pipeline-role") => new(
        RoleSession(role), new PipelineScope(Account, "us-east-1"), "flask", 1, "exec-1", "Build", "Build", Guid.NewGuid().ToString(),
        new ActionTypeId("Build", "AWS", "CodeBuild", "1"), configuration, [input], outputs, Store, "flask/exec-1", null, null, null);

    /// <summary>The pipeline's role as the engine makes it: assumed as codepipeline.amazonaws.com.</summary>
    private RequestContext RoleSession(string role)
    {
        var session = _server.Services.GetRequiredService<IRoleAssumer>()
            .AssumeRoleAsServiceAsync($"arn:aws:iam::{Account}:role/{role}", "codepipeline.amazonaws.com", "exec-1", TimeSpan.FromHours(1), CancellationToken.None)
            .GetAwaiter().GetResult();
        var principal = new Principal(PrincipalKind.AssumedRole, Account, session.AssumedRoleArn, session.AssumedRoleId, role, "exec-1");
        return new RequestContext(principal, "us-east-1", Guid.NewGuid().ToString(), null, DateTimeOffset.UtcNow, session.AccessKeyId);
    }

    private static List<string> Files(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal).ToList();

    private async Task<JsonObject?> BatchGetBuildAsync(string id) =>
        (await CallAsync("codebuild", "CodeBuild_20161006.BatchGetBuilds", new JsonObject { ["ids"] = new JsonArray(id) }.ToJsonString()))["builds"]![0]?.AsObject();

    private async Task<JsonObject> CallAsync(string service, string target, string json)
    {
        var (success, body) = await SendAsync(service, target, json);
        Assert.True(success, body);
        return (JsonObject)JsonNode.Parse(body)!;
    }

    private async Task<(bool IsSuccess, string Body)> SendAsync(string service, string target, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.Endpoint)
        {
            Content = new StringContent(json, Encoding.UTF8),
            Headers = { { "X-Amz-Target", target } },
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-amz-json-1.1");
        new SigV4Signer(KeyId, Secret, "us-east-1", service).Sign(request, Encoding.UTF8.GetBytes(json), DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(request);
        return (response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task IamAsync(string query)
    {
        var body = query + "&Version=2010-05-08";
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.Endpoint) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");
        new SigV4Signer(KeyId, Secret, "us-east-1", "iam").Sign(request, Encoding.UTF8.GetBytes(body), DateTimeOffset.UtcNow);
        using var response = await _http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_database_that_does_not_answer_for_a_while_leaves_the_action_waiting_for_its_build()
    {
        var source = await InputAsync("SourceArtifact", "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 1\n");
        var store = FlakyBuildStore.Around(_server.Services.GetRequiredService<IBuildStore>());
        // The database stops answering reads of the build once it runs, for three reads (about 0.3 s); the build goes on.
        var progress = new RecordingProgress { OnReport = _ => store.FailNextReads(3) };

        var outcome = await OutageRunner(store, TimeSpan.FromMinutes(1)).RunAsync(Run(source, [], new() { ["ProjectName"] = "app" }), progress, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        Assert.Equal(3, progress.Lines.Count(l => l.Contains(": the database did not answer (connection refused (test)); reading it again in 0.1 s", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_database_that_stays_away_longer_than_the_action_waits_fails_it_saying_the_build_may_still_run()
    {
        var source = await InputAsync("SourceArtifact", "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 3\n");
        var store = FlakyBuildStore.Around(_server.Services.GetRequiredService<IBuildStore>());
        var progress = new RecordingProgress { OnReport = _ => store.FailNextReads(int.MaxValue) };

        var outcome = await OutageRunner(store, TimeSpan.FromMilliseconds(500)).RunAsync(Run(source, [], new() { ["ProjectName"] = "app" }), progress, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal("JobFailed", outcome.ErrorCode);
        var id = progress.Reports.Single().Id!;
        Assert.Equal(id, outcome.ExternalExecutionId);
        Assert.Contains($"Could not read build {id} for ", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains($"Cairn's database did not answer (connection refused (test)). The build may still be running: once the database is back, see it with aws codebuild batch-get-builds --ids {id}, then retry the stage.",
            outcome.ErrorMessage, StringComparison.Ordinal);
    }

    /// <summary>A runner whose reads of builds go through <paramref name="store"/>, read again every 0.1 s.</summary>
    private CodeBuildActionRunner OutageRunner(FlakyBuildStore store, TimeSpan tolerance) => new(
        new Cairn.Application.Builds.BuildService(store.Store, _server.Services.GetRequiredService<IAuthorizer>(), _server.Services.GetRequiredService<Cairn.Application.Builds.BuildQueue>(),
            TimeProvider.System, _server.Services.GetRequiredService<IBuildLogStore>()),
        _server.Services.GetRequiredService<Cairn.Application.Builds.BuildQueue>(),
        new CodeBuildActionSettings(_ => null) { PollInterval = TimeSpan.FromMilliseconds(100), OutageTolerance = tolerance });

    /// <summary>The server's build store, whose GetBuildAsync fails as an unreachable database does while told to.</summary>
    public class FlakyBuildStore : DispatchProxy
    {
        private IBuildStore _inner = null!;
        private int _failures;

        public static FlakyBuildStore Around(IBuildStore inner)
        {
            var proxy = Create<IBuildStore, FlakyBuildStore>();
            var flaky = (FlakyBuildStore)(object)proxy;
            flaky._inner = inner;
            return flaky;
        }

        public void FailNextReads(int count) => Volatile.Write(ref _failures, count);

        /// <summary>This proxy as the store it stands for.</summary>
        public IBuildStore Store => (IBuildStore)(object)this;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IBuildStore.GetBuildAsync) && Interlocked.Decrement(ref _failures) >= 0)
            {
                return Task.FromException<BuildRecord?>(new Unreachable());
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException error) when (error.InnerException is not null)
            {
                throw error.InnerException;
            }
        }

        /// <summary>What a driver throws when no server answered: a database error without an SQLSTATE.</summary>
        private sealed class Unreachable() : DbException("connection refused (test)");
    }

    private sealed class RecordingProgress : IActionProgress
    {
        public List<(string? Id, string? Url)> Reports { get; } = [];

        public List<string> Lines { get; } = [];

        /// <summary>Called with a delay after each report: the test's way to stop the execution once the build runs.</summary>
        public Action<TimeSpan>? OnReport { get; init; }

        public Task ReportAsync(string? externalExecutionId, string? externalExecutionUrl, string? summary, CancellationToken cancellationToken)
        {
            Reports.Add((externalExecutionId, externalExecutionUrl));
            OnReport?.Invoke(TimeSpan.FromSeconds(1));
            return Task.CompletedTask;
        }

        public void Log(string line) => Lines.Add(line);
    }
}
