using System.Diagnostics;
using System.Text.Json.Nodes;
using Cairn.Application.Builds;
using Cairn.Core.Identity;
using Cairn.Runner.Kubernetes;
using Cairn.Runner.Tests.Kubernetes;
using Cairn.Server.Aws;
using Cairn.Server.Hosting;
using Cairn.Storage.Builds;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.CodeBuild;

/// <summary>
/// `cairn serve` with CAIRN_BUILD_EXECUTOR=kubernetes, against <see cref="FakeBatchApiServer"/>: what a pod build sends
/// back reaches the same stores as a host or docker build's, read with the aws CLI.
/// </summary>
public sealed class KubernetesServerBuildTests : IAsyncLifetime, IDisposable
{
    private const string Account = "000000000000";
    private const string Region = "us-east-1";
    private const string Role = "arn:aws:iam::000000000000:role/pod-build";
    private const string RootKey = "AKIAPODSTESTROOT0001";
    private const string RootSecret = "pods-root-secret";

    private readonly string _data = Directory.CreateTempSubdirectory("cairn-pods-").FullName;
    private readonly FakeBatchApiServer _cluster = new();
    private KubernetesBuildJobs _jobs = null!;
    private CairnServer _server = null!;

    private static RequestContext Root { get; } = new(Principal.Root(Account), Region, "req", "127.0.0.1", DateTimeOffset.UtcNow, RootKey);

    public async Task InitializeAsync()
    {
        var kubeconfig = Path.Combine(_data, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, _cluster.Kubeconfig);
        _jobs = KubernetesBuildJobs.Connect(new KubernetesExecutorSettings(kubeconfig, "ci", "server-1") { PollInterval = TimeSpan.FromMilliseconds(50) });
        _server = await CairnServer.StartAsync(
            new CairnServerOptions { DataDirectory = _data, Port = 0, RootAccessKeyId = RootKey, RootSecretAccessKey = RootSecret },
            services => services.AddSingleton(CodeBuildOptions.FromEnvironment(Environment.GetEnvironmentVariable) with
            {
                ContainerPods = new KubernetesPlacement(_jobs),
            }));
        var iam = _server.Services.GetServices<IQueryService>().Single(s => s.SigningName == "iam");
        await iam.InvokeAsync("CreateRole", new Dictionary<string, string>
        {
            ["RoleName"] = "pod-build",
            ["AssumeRolePolicyDocument"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""",
        }, Root, default);
        await iam.InvokeAsync("PutRolePolicy", new Dictionary<string, string>
        {
            ["RoleName"] = "pod-build",
            ["PolicyName"] = "reports",
            ["PolicyDocument"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["codebuild:CreateReportGroup","codebuild:CreateReport","codebuild:UpdateReport","codebuild:BatchPutTestCases"],"Resource":"*"}]}""",
        }, Root, default);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _jobs.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    public void Dispose() => _cluster.Dispose();

    private IJsonService CodeBuild => _server.Services.GetServices<IJsonService>().Single(s => s.SigningName == "codebuild");

    [Fact]
    public async Task A_pod_builds_report_exported_variables_and_artifacts_are_stored_as_any_builds()
    {
        const string Buildspec = """
            version: 0.2
            env:
              exported-variables:
                - IMAGE_TAG
            phases:
              build:
                commands:
                  - mkdir -p reports dist
                  - printf '<testsuite name="calc"><testcase classname="Calc" name="adds"/><testcase classname="Calc" name="divides"><failure message="expected 2"/></testcase></testsuite>' > reports/junit.xml
                  - echo site > dist/index.html
                  - export IMAGE_TAG=v42
            artifacts:
              base-directory: dist
              files:
                - '**/*'
            reports:
              unit:
                files:
                  - reports/junit.xml
            """;
        await CodeBuild.InvokeAsync("CreateProject", (JsonObject)JsonNode.Parse($$"""
            {"name":"web","source":{"type":"NO_SOURCE","buildspec":{{JsonValue.Create(Buildspec).ToJsonString()}}},
             "artifacts":{"type":"S3","location":"bucket"},
             "environment":{"type":"LINUX_CONTAINER","image":"alpine:3","computeType":"BUILD_GENERAL1_SMALL"},
             "serviceRole":"{{Role}}"}
            """)!, Root, default);

        var id = (string)(await CodeBuild.InvokeAsync("StartBuild", new JsonObject { ["projectName"] = "web" }, Root, default))["build"]!["id"]!;
        var store = _server.Services.GetRequiredService<IBuildStore>();
        var clock = Stopwatch.StartNew();
        while ((await store.FindBuildAsync(id[(id.LastIndexOf(':') + 1)..], default)) is not { IsComplete: true })
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the build did not complete within a minute");
            await Task.Delay(50);
        }

        var build = JsonNode.Parse(await AwsAsync("codebuild", "batch-get-builds", "--ids", id))!["builds"]![0]!;
        Assert.True(build["buildStatus"]!.GetValue<string>() == "SUCCEEDED", build.ToJsonString());
        Assert.Single(_cluster.Requests, r => r.Method == "POST" && r.Path.EndsWith("/jobs", StringComparison.Ordinal));
        var exported = Assert.Single(build["exportedEnvironmentVariables"]!.AsArray())!;
        Assert.Equal(("IMAGE_TAG", "v42"), (exported["name"]!.GetValue<string>(), exported["value"]!.GetValue<string>()));
        var reportArn = Assert.Single(build["reportArns"]!.AsArray())!.GetValue<string>();
        Assert.StartsWith($"arn:aws:codebuild:{Region}:{Account}:report/web-unit:", reportArn, StringComparison.Ordinal);
        var report = JsonNode.Parse(await AwsAsync("codebuild", "batch-get-reports", "--report-arns", reportArn))!["reports"]![0]!;
        Assert.Equal("FAILED", report["status"]!.GetValue<string>());
        Assert.Equal(2, report["testSummary"]!["total"]!.GetValue<int>());
        var artifacts = Path.Combine(_data, "builds", id[(id.LastIndexOf(':') + 1)..], "artifacts");
        Assert.Equal("site\n", await File.ReadAllTextAsync(Directory.EnumerateFiles(artifacts, "index.html", SearchOption.AllDirectories).Single()));
    }

    private Task<string> AwsAsync(params string[] arguments) => AwsCli.RunAsync(_server.Endpoint, Region, (RootKey, RootSecret), arguments);
}
