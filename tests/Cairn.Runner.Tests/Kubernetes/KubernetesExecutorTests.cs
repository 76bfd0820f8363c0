using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Runner.Builds;
using Cairn.Runner.Kubernetes;
using Cairn.Runner.Phases;
using Cairn.Runner.Tests.Builds;
using k8s.Models;

namespace Cairn.Runner.Tests.Kubernetes;

/// <summary>
/// The Kubernetes executor against <see cref="FakeBatchApiServer"/>, which checks every body against the Kubernetes
/// schema and runs the pod's command with /bin/sh on this host, so the real generated script and buildspec run.
/// </summary>
public sealed partial class KubernetesExecutorTests : IDisposable
{
    private const string Password = "k8s-Pa55word!x";
    private const string SecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private readonly FakeBatchApiServer _server = new();
    private readonly BuildHarness _harness = new();
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"cairn-kubeconfig-{Guid.NewGuid():N}");

    public KubernetesExecutorTests()
    {
        File.WriteAllText(_kubeconfig, _server.Kubeconfig);
        _harness.Secrets.Parameters["/app/password"] = new ResolvedParameter("/app/password", Password, "SecureString");
        _harness.Write("greeting.txt", "hello from the source\n");
    }

    public void Dispose()
    {
        _server.Dispose();
        _harness.Dispose();
        File.Delete(_kubeconfig);
    }

    private KubernetesBuildJobs Connect(string owner = "agent-1") =>
        KubernetesBuildJobs.Connect(new KubernetesExecutorSettings(_kubeconfig, "ci", owner) { PollInterval = TimeSpan.FromMilliseconds(50) });

    private Task<(BuildResult Result, string Log)> RunAsync(KubernetesBuildJobs jobs, string yaml, TimeSpan? timeout = null, BuildCancellation? cancellation = null) =>
        _harness.RunAsync(yaml, request => request with
        {
            Placement = new KubernetesPlacement(jobs),
            BaseEnvironment = new Dictionary<string, string>(StringComparer.Ordinal) { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin", ["HOME"] = "/tmp" },
            SystemVariables = new Dictionary<string, string>(StringComparer.Ordinal) { ["AWS_ACCESS_KEY_ID"] = "ASIAFAKEKEY123", ["AWS_SECRET_ACCESS_KEY"] = SecretKey },
            SecretValues = [SecretKey],
            Timeout = timeout ?? TimeSpan.FromMinutes(5),
        }, cancellation);

    private const string Buildspec = """
        version: 0.2
        env:
          parameter-store:
            APP_PASSWORD: /app/password
          variables:
            GREETING: hi
        phases:
          install:
            commands:
              - cd sub 2>/dev/null || mkdir sub
          build:
            commands:
              - cat greeting.txt
              - echo "$GREETING password=$APP_PASSWORD key=$AWS_SECRET_ACCESS_KEY"
            finally:
              - echo "src is $CODEBUILD_SRC_DIR"
        """;

    private JsonObject Posted(string resource) =>
        JsonNode.Parse(_server.Requests.Single(r => r.Method == "POST" && r.Path.EndsWith("/" + resource, StringComparison.Ordinal)).Body!)!.AsObject();

    [Fact]
    public async Task A_build_runs_to_SUCCEEDED_in_a_Job_and_its_log_arrives_masked()
    {
        using var jobs = Connect();

        var (result, log) = await RunAsync(jobs, Buildspec);

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        Assert.Contains("hello from the source", log, StringComparison.Ordinal);
        Assert.Contains("Running command cat greeting.txt", log, StringComparison.Ordinal);
        Assert.Contains("hi password=*** key=***", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, log, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, log, StringComparison.Ordinal);
        Assert.DoesNotContain("##cairn-", log, StringComparison.Ordinal);
        Assert.Equal(
            ["INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD", "UPLOAD_ARTIFACTS"],
            result.Phases.Select(p => p.PhaseType).SkipWhile(p => p != "INSTALL").TakeWhile(p => p != "FINALIZING"));
        Assert.All(result.Phases.Where(p => p.PhaseType == "BUILD"), p => Assert.Equal(BuildStatuses.Succeeded, p.PhaseStatus));
    }

    [Fact]
    public async Task The_builds_secrets_are_in_a_Secret_owned_by_the_Job_deleted_after_and_never_in_the_Job()
    {
        using var jobs = Connect();

        var (result, _) = await RunAsync(jobs, Buildspec, timeout: TimeSpan.FromMinutes(7));

        Assert.Equal(BuildStatuses.Succeeded, result.Status);
        var job = Posted("jobs");
        var jobText = job.ToJsonString();
        foreach (var secret in new[] { Password, SecretKey })
        {
            Assert.DoesNotContain(secret, jobText, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)), jobText, StringComparison.Ordinal);
        }

        Assert.Equal(0, job["spec"]!["backoffLimit"]!.GetValue<int>());
        Assert.Equal(420, job["spec"]!["activeDeadlineSeconds"]!.GetValue<long>());
        Assert.Equal(600, job["spec"]!["ttlSecondsAfterFinished"]!.GetValue<int>());
        var labels = job["metadata"]!["labels"]!;
        Assert.Equal("6f1c2e0a-0000-4000-8000-000000000001", labels["cairn.dev/build-id"]!.GetValue<string>());
        Assert.Equal("demo", labels["cairn.dev/project"]!.GetValue<string>());
        Assert.Contains(job["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "GREETING" && e["value"]!.GetValue<string>() == "hi");

        var posted = Posted("secrets");
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)), posted["data"]!["APP_PASSWORD"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(SecretKey)), posted["data"]!["AWS_SECRET_ACCESS_KEY"]!.GetValue<string>());
        Assert.Null(posted["data"]!["GREETING"]);
        var owner = posted["metadata"]!["ownerReferences"]![0]!;
        Assert.Equal("Job", owner["kind"]!.GetValue<string>());
        Assert.Equal(job["metadata"]!["name"]!.GetValue<string>(), owner["name"]!.GetValue<string>());
        Assert.Equal(_server.Objects("jobs").Single()["metadata"]!["uid"]!.GetValue<string>(), owner["uid"]!.GetValue<string>());
        Assert.Contains(_server.Requests, r => r.Method == "DELETE" && r.Path.EndsWith("/secrets/" + posted["metadata"]!["name"], StringComparison.Ordinal));
        Assert.Empty(_server.Objects("secrets"));
        Assert.Empty(_server.Objects("configmaps"));
    }

    [Fact]
    public async Task A_failing_command_fails_its_phase_and_post_build_still_runs_with_succeeding_0()
    {
        using var jobs = Connect();

        var (result, log) = await RunAsync(jobs, """
            version: 0.2
            phases:
              build:
                commands:
                  - echo before
                  - sh -c 'exit 3'
                  - echo never
              post_build:
                commands:
                  - echo "succeeding=$CODEBUILD_BUILD_SUCCEEDING"
            """);

        Assert.Equal(BuildStatuses.Failed, result.Status);
        var build = result.Phases.Single(p => p.PhaseType == "BUILD");
        Assert.Equal(BuildStatuses.Failed, build.PhaseStatus);
        Assert.Equal("Error while executing command: sh -c 'exit 3'. Reason: exit status 3", build.Contexts!.Single().Message);
        Assert.Contains("Command did not exit successfully sh -c 'exit 3' exit status 3", log, StringComparison.Ordinal);
        Assert.DoesNotContain("\nnever", log, StringComparison.Ordinal);
        Assert.Contains("succeeding=0", log, StringComparison.Ordinal);
        Assert.Equal(BuildStatuses.Succeeded, result.Phases.Single(p => p.PhaseType == "POST_BUILD").PhaseStatus);
    }

    [Fact]
    public async Task StopBuild_deletes_the_Job_with_background_propagation()
    {
        using var jobs = Connect();
        using var cancellation = new BuildCancellation();
        var clock = Stopwatch.StartNew();
        var running = RunAsync(jobs, "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 30\n", cancellation: cancellation);
        while (!_server.Objects("pods").Any(p => p["status"]?["phase"]?.GetValue<string>() == "Running") && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(50);
        }

        cancellation.Stop();
        var (result, _) = await running;

        Assert.Equal(BuildStatuses.Stopped, result.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"the stop took {clock.Elapsed}");
        var job = Posted("jobs")["metadata"]!["name"]!.GetValue<string>();
        Assert.Contains((job, "Background"), _server.DeletedJobs);
        Assert.Empty(_server.Objects("jobs"));
        Assert.Empty(_server.Objects("pods"));
        Assert.Empty(_server.Objects("secrets"));
    }

    [Fact]
    public async Task The_build_timeout_is_the_Jobs_activeDeadlineSeconds_and_times_the_build_out()
    {
        using var jobs = Connect();

        var (result, _) = await RunAsync(jobs, "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 30\n", timeout: TimeSpan.FromSeconds(2));

        Assert.Equal(BuildStatuses.TimedOut, result.Status);
        Assert.Equal(2, Posted("jobs")["spec"]!["activeDeadlineSeconds"]!.GetValue<long>());
        Assert.Empty(_server.Objects("jobs"));
    }

    [Fact]
    public async Task The_reaper_deletes_this_owners_orphaned_Jobs_and_Secrets_and_leaves_others()
    {
        using var jobs = Connect();
        JsonObject Labelled(string name, string owner, string? ownerUid = null) => new()
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = new JsonObject { ["app.kubernetes.io/managed-by"] = "cairn", ["cairn.dev/owner"] = owner, ["cairn.dev/build-id"] = "old" },
                ["ownerReferences"] = ownerUid is null ? null : new JsonArray(new JsonObject { ["kind"] = "Job", ["name"] = "cairn-old", ["uid"] = ownerUid, ["apiVersion"] = "batch/v1" }),
            },
        };
        _server.Seed("jobs", "ci", Labelled("cairn-old", "agent-1"));
        _server.Seed("secrets", "ci", Labelled("cairn-old-env", "agent-1", "uid-x"));
        _server.Seed("jobs", "ci", Labelled("cairn-theirs", "agent-2"));

        var deleted = await jobs.ReapOrphansAsync(CancellationToken.None);

        Assert.Equal(["job/cairn-old", "secret/cairn-old-env"], deleted);
        Assert.Equal(["cairn-theirs"], _server.Objects("jobs").Select(j => j["metadata"]!["name"]!.GetValue<string>()));
        Assert.Empty(_server.Objects("secrets"));
    }

    [Fact]
    public async Task A_403_from_the_API_says_which_RBAC_verb_and_resource_is_missing()
    {
        _server.Forbidden.Add("create jobs");
        using var jobs = Connect();

        var (result, log) = await RunAsync(jobs, Buildspec);

        Assert.Equal(BuildStatuses.Fault, result.Status);
        Assert.Contains("forbids the executor to create jobs in namespace ci (403): grant RBAC verb \"create\" on resource \"jobs\" (apiGroup batch)", log, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_kubeconfig_is_one_clear_line()
    {
        var error = Assert.Throws<KubernetesAccessException>(() =>
            KubernetesBuildJobs.Connect(new KubernetesExecutorSettings("/nonexistent/kubeconfig", "ci", "agent-1")));

        Assert.Equal("the kubeconfig /nonexistent/kubeconfig does not exist: pass --kubeconfig with a readable file, or run the agent in the cluster (service account) without it.", error.Message);
    }

    [Fact]
    public async Task The_fake_rejects_unknown_fields_wrong_types_and_missing_required_fields_as_the_API_server_does()
    {
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", FakeBatchApiServer.Token);
        async Task<(int, string)> PostAsync(string json)
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri($"{_server.Address}/apis/batch/v1/namespaces/ci/jobs"), content);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        const string Template = """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"spec":{"backoffLimit":BACKOFF,"template":{"spec":{"restartPolicy":"Never","containers":[CONTAINER]}}}}""";
        string Job(string container, string backoff = "0") => Template.Replace("CONTAINER", container, StringComparison.Ordinal).Replace("BACKOFF", backoff, StringComparison.Ordinal);

        var (unknown, unknownBody) = await PostAsync(Job("""{"name":"b","image":"alpine","imagePullPolicyy":"Always"}"""));
        var (mistyped, mistypedBody) = await PostAsync(Job("""{"name":"b","image":"alpine"}""", backoff: "\"zero\""));
        var (missing, missingBody) = await PostAsync(Job("""{"image":"alpine"}"""));
        var (valid, _) = await PostAsync(Job("""{"name":"b","image":"alpine","command":["true"]}"""));

        Assert.Equal(400, unknown);
        Assert.Contains("strict decoding error: unknown field \\u0022spec.template.spec.containers[0].imagePullPolicyy\\u0022", unknownBody, StringComparison.Ordinal);
        Assert.Equal(400, mistyped);
        Assert.Contains("spec.backoffLimit: expected integer, got string", mistypedBody, StringComparison.Ordinal);
        Assert.Equal(422, missing);
        Assert.Contains("spec.template.spec.containers[0].name: Required value", missingBody, StringComparison.Ordinal);
        Assert.Equal(201, valid);
    }

    [Fact]
    public void The_derived_schema_has_the_OpenAPI_documents_required_fields()
    {
        // As api/openapi-spec/v3/apis__batch__v1_openapi.json (kubernetes/kubernetes) lists them under "required".
        Assert.Equal(["template"], KubernetesSchema.RequiredOf(typeof(V1JobSpec)));
        Assert.Equal(["containers"], KubernetesSchema.RequiredOf(typeof(V1PodSpec)));
        Assert.Equal(["name"], KubernetesSchema.RequiredOf(typeof(V1Container)));
        Assert.Equal(["name"], KubernetesSchema.RequiredOf(typeof(V1EnvVar)));
        Assert.Equal(["name"], KubernetesSchema.RequiredOf(typeof(V1Volume)));
        Assert.Equal(["mountPath", "name"], KubernetesSchema.RequiredOf(typeof(V1VolumeMount)).Order(StringComparer.Ordinal));
        Assert.Equal(["apiVersion", "kind", "name", "uid"], KubernetesSchema.RequiredOf(typeof(V1OwnerReference)).Order(StringComparer.Ordinal));
        Assert.Empty(KubernetesSchema.RequiredOf(typeof(V1ObjectMeta)));
        Assert.Empty(KubernetesSchema.RequiredOf(typeof(V1Secret)));
    }
}
