using System.Text.Json.Nodes;
using Cairn.Application.Parameters;
using Cairn.Application.Pipelines.Actions;
using Cairn.Application.Pipelines.Actions.Deploy;
using Cairn.Core.Audit;
using Cairn.Core.Identity;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Executions;
using Cairn.Server.Tests.PipelineSources;
using Cairn.Server.Tests.Ssm;
using Cairn.Storage.Artifacts;

namespace Cairn.Server.Tests.CodePipeline.Deploy;

/// <summary>
/// The EKS deploy runner end to end against <see cref="FakeKubernetesApiServer"/>: the cluster registered as a
/// SecureString read as the pipeline's role from a real Parameter Store (SQLite, AES-GCM keys), the input artifact
/// from a directory artifact store, the manifests applied over HTTP by KubernetesClient's authenticated client.
/// </summary>
public sealed class EksDeployRunnerTests : SsmFixture, IDisposable
{
    private const string Cluster = "dev";

    private const string Manifest = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: flask-app
          labels: {app: flask-app}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: flask-app}
          template:
            metadata:
              labels: {app: flask-app}
            spec:
              containers:
              - name: web
                image: ${IMAGE_REPO}:$IMAGE_TAG
                ports:
                - containerPort: 8000
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: flask-app
        spec:
          selector: {app: flask-app}
          ports:
          - port: 80
            targetPort: 8000
        """;

    private readonly string _root = Directory.CreateTempSubdirectory("cairn-eks-test-").FullName;
    private readonly FakeKubernetesApiServer _server = new();
    private readonly DirectoryArtifactStore _artifacts;
    private readonly EksDeployRunner _runner;
    private readonly DateTime _started = DateTime.UtcNow;

    public EksDeployRunnerTests()
    {
        _artifacts = new DirectoryArtifactStore(Path.Combine(_root, "store"));
        var crypto = new ParameterCrypto(Keys, Authorizer);
        var reader = new RoleParameterReader(new ParameterService(Repository, crypto, Authorizer, Time), Authorizer, crypto, new NoAudit(), Time);
        _runner = new EksDeployRunner(_artifacts, reader, TimeProvider.System, helmCommand: "cairn-no-such-helm", poll: TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public async Task Manifests_are_applied_with_the_action_variables_and_the_rollout_is_awaited()
    {
        await RegisterAsync(_server.Kubeconfig());
        var progress = new RecordingProgress();

        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml", ["Namespace"] = "staging" }, progress);

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        Assert.Equal("Applied Deployment/flask-app (namespace staging), Service/flask-app (namespace staging) to cluster dev; rolled out Deployment/flask-app", outcome.Summary);
        Assert.Equal(Cluster, outcome.OutputVariables["EKSClusterName"]);
        var patches = _server.Patches;
        Assert.Equal(["/apis/apps/v1/namespaces/staging/deployments/flask-app", "/api/v1/namespaces/staging/services/flask-app"], patches.Select(p => p.Path));
        Assert.All(patches, p =>
        {
            Assert.StartsWith("application/apply-patch+yaml", p.ContentType, StringComparison.Ordinal);
            Assert.Contains("fieldManager=cairn-eks-deploy", p.Query, StringComparison.Ordinal);
            Assert.Contains("force=true", p.Query, StringComparison.Ordinal);
        });
        var deployment = JsonNode.Parse(patches[0].Body)!;
        Assert.Equal("registry.example:5000/flask-app:1a2b3c", deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(8000, deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Contains(progress.Lines, l => l.StartsWith("Rollout of Deployment/flask-app (namespace staging): waiting for the controller", StringComparison.Ordinal));
        Assert.Contains(progress.Lines, l => l.StartsWith("Rollout of Deployment/flask-app (namespace staging): 1 of 2 new replicas updated", StringComparison.Ordinal));
        Assert.Contains("Rollout of Deployment/flask-app (namespace staging): 2 of 2 replicas updated and available", progress.Lines);
        Assert.Equal(2, _server.Requests.Count(r => r.Method == "GET" && r.Path == "/apis/apps/v1/namespaces/staging/deployments/flask-app") - 1);
        AssertTokenNowhere(progress, outcome);
    }

    [Fact]
    public async Task Without_Namespace_the_kubeconfig_context_namespace_is_used_and_a_second_apply_configures()
    {
        await RegisterAsync(_server.Kubeconfig(contextNamespace: "team-a"));
        var configuration = new Dictionary<string, string> { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml" };

        var first = await RunAsync(configuration, new RecordingProgress());
        Assert.True(first.Succeeded, first.ErrorMessage);
        var second = new RecordingProgress();
        var outcome = await RunAsync(configuration, second);

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        Assert.Contains("Applied Deployment/flask-app in namespace team-a (configured, generation 2)", second.Lines);
        Assert.Equal(2, _server.Stored("/apis/apps/v1/namespaces/team-a/deployments/flask-app")!["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_rollout_stuck_in_ImagePullBackOff_fails_with_the_reason_and_the_pods_waiting_reason()
    {
        await RegisterAsync(_server.Kubeconfig());
        _server.Rollout = FakeKubernetesApiServer.RolloutBehaviour.Stalls;

        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml" }, new RecordingProgress());

        Assert.False(outcome.Succeeded);
        Assert.Equal("JobFailed", outcome.ErrorCode);
        Assert.StartsWith("The rollout of Deployment/flask-app (namespace default) failed: ProgressDeadlineExceeded: ReplicaSet \"flask-app-5d4f8\" has timed out progressing.; "
            + "pods: web-5d4f8-x2x9k ImagePullBackOff (Back-off pulling image \"registry.example:5000/flask-app:missing\") (the nodes cannot pull the image", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("kubectl -n default rollout undo deployment/flask-app", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(_server.Requests, r => r.Path == "/api/v1/namespaces/default/pods" && r.Query.Contains("labelSelector=app%3Dflask-app", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_forbidden_apply_fails_with_the_RBAC_fix_and_the_token_a_proxy_echoes_is_masked()
    {
        await RegisterAsync(_server.Kubeconfig());
        _server.Forbidden.Add("Service");
        _server.EchoAuthorizationInErrors = true;
        var progress = new RecordingProgress();

        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml" }, progress);

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("The cluster refused to apply Service/flask-app in namespace default (k8s/deployment.yaml (document 2)): services \"flask-app\" is forbidden: "
            + "User \"system:serviceaccount:ci:deployer\" cannot patch resource \"services\" in API group \"\" in the namespace \"default\" (request carried Bearer ***). "
            + "Grant the kubeconfig's user that right, e.g. kubectl create role cairn-deploy --verb=get,list,watch,create,patch,update --resource=services -n default "
            + "&& kubectl create rolebinding cairn-deploy --role=cairn-deploy --user=system:serviceaccount:ci:deployer -n default", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.EndsWith("Applied before it (left as applied): Deployment/flask-app (namespace default).", outcome.ErrorMessage, StringComparison.Ordinal);
        AssertTokenNowhere(progress, outcome);
    }

    [Fact]
    public async Task An_invalid_object_fails_with_the_servers_causes()
    {
        await RegisterAsync(_server.Kubeconfig());
        _server.Invalid.Add("Deployment");

        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml" }, new RecordingProgress());

        Assert.False(outcome.Succeeded);
        Assert.Equal("The cluster rejected Deployment/flask-app in namespace default (k8s/deployment.yaml (document 1)) as invalid: Deployment \"flask-app\" is invalid: "
            + "spec.template.spec.containers[0].image: Required value [spec.template.spec.containers[0].image: Required value]. Fix the manifest; "
            + "`kubectl apply --dry-run=server -f <file>` against the cluster shows the same check. Nothing was applied.", outcome.ErrorMessage);
        Assert.Single(_server.Patches);
    }

    [Fact]
    public async Task A_missing_cluster_registration_fails_with_the_command_that_registers_it()
    {
        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml" }, new RecordingProgress());

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("Cluster 'dev' is not registered in Cairn: no parameter /cairn/clusters/dev exists", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("aws ssm put-parameter --name /cairn/clusters/dev --type SecureString", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_denied_registration_read_fails_with_the_statement_the_role_lacks()
    {
        await RegisterAsync(_server.Kubeconfig());
        Authorizer.Denied.Add(("ssm:GetParameter", Arn("cairn/clusters/dev")));

        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml" }, new RecordingProgress());

        Assert.False(outcome.Succeeded);
        Assert.Equal("AccessDeniedException", outcome.ErrorCode);
        Assert.Contains("is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:us-east-1:000000000000:parameter/cairn/clusters/dev", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("aws iam put-role-policy --role-name codepipeline-flask-app", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_swarm_registration_is_refused_for_the_EKS_action()
    {
        await CallAsync("PutParameter", new JsonObject { ["Name"] = "/cairn/clusters/dev", ["Type"] = "String", ["Value"] = """{"type":"swarm"}""" }.ToJsonString());

        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml" }, new RecordingProgress());

        Assert.Equal("Cluster 'dev' is registered as a swarm cluster, and the EKS deploy action deploys to Kubernetes: use the ECS deploy action for it, or set ClusterName to a Kubernetes cluster.",
            outcome.ErrorMessage);
    }

    [Fact]
    public async Task A_manifest_that_is_not_YAML_fails_naming_the_file_and_line_before_the_cluster_is_called()
    {
        await RegisterAsync(_server.Kubeconfig());

        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml" }, new RecordingProgress(),
            manifest: "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n spec: [\n");

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("The manifest file k8s/deployment.yaml cannot be applied: it is not valid YAML at line 5", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.EndsWith("Check it with `kubectl apply --dry-run=client -f k8s/deployment.yaml`.", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_manifest_file_not_in_the_artifact_fails_listing_what_it_holds()
    {
        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml, k8s/service.yaml" }, new RecordingProgress());

        Assert.Equal("The manifest file k8s/service.yaml named in ManifestFiles is not in the input artifact BuildArtifact (it holds: k8s/deployment.yaml). "
            + "List it under the buildspec's artifacts.files (or in the source repository), or correct ManifestFiles: paths are relative to the artifact's root, comma-separated.",
            outcome.ErrorMessage);
    }

    [Fact]
    public async Task A_helm_chart_without_helm_on_the_host_fails_saying_what_to_do_instead()
    {
        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["HelmChartLocation"] = "chart", ["HelmReleaseName"] = "web" }, new RecordingProgress());

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("HelmChartLocation is 'chart', and Cairn deploys Helm charts by rendering them with the helm CLI, which is not installed on the Cairn host", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("`helm template <release> <chart> -n <namespace> -f values.yaml > k8s/rendered.yaml`", outcome.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("set ManifestFiles to k8s/rendered.yaml instead of HelmChartLocation", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Neither_ManifestFiles_nor_a_chart_fails_naming_both()
    {
        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster }, new RecordingProgress());

        Assert.StartsWith("The EKS deploy action's configuration names neither ManifestFiles nor HelmChartLocation", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_fails_naming_its_address()
    {
        var address = _server.Address;
        var kubeconfig = _server.Kubeconfig();
        _server.Dispose();
        await RegisterAsync(kubeconfig);

        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml" }, new RecordingProgress());

        Assert.False(outcome.Succeeded);
        Assert.StartsWith($"Cluster 'dev' cannot be deployed to: {address} does not answer (", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kubeconfig_that_cannot_be_read_fails_as_a_malformed_registration()
    {
        await RegisterAsync("apiVersion: v1\nkind: Config\ncurrent-context: nowhere\n");

        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml" }, new RecordingProgress());

        Assert.StartsWith("The registration of cluster 'dev' (parameter /cairn/clusters/dev) is not valid: its kubeconfig cannot be used (", outcome.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_kubeconfig_is_written_to_no_file_during_the_deploy()
    {
        await RegisterAsync(_server.Kubeconfig());

        var outcome = await RunAsync(new() { ["ClusterName"] = Cluster, ["ManifestFiles"] = "k8s/deployment.yaml" }, new RecordingProgress());

        Assert.True(outcome.Succeeded, outcome.ErrorMessage);
        foreach (var directory in new[] { "/dev/shm", Path.GetTempPath(), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + "/.kube" })
        {
            foreach (var file in RecentFiles(directory))
            {
                Assert.DoesNotContain(FakeKubernetesApiServer.Token, ReadOrEmpty(file), StringComparison.Ordinal);
            }
        }
    }

    /// <summary>A file's text; empty for what cannot be read as a file (a socket, a file another process just removed).</summary>
    private static string ReadOrEmpty(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private IEnumerable<string> RecentFiles(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint, MaxRecursionDepth = 4 };
        return Directory.EnumerateFiles(directory, "*", options)
            // Not empty: an empty file holds no token, and a FIFO (every .NET process started meanwhile makes
            // /tmp/clr-debug-pipe-*) reports size 0 and would block the read until someone writes to it.
            .Where(f => { try { var info = new FileInfo(f); return info.LastWriteTimeUtc >= _started.AddSeconds(-1) && info.Length is > 0 and < 1_000_000; } catch (IOException) { return false; } })
            .ToList();
    }

    private Task RegisterAsync(string kubeconfig) =>
        CallAsync("PutParameter", new JsonObject
        {
            ["Name"] = "/cairn/clusters/dev",
            ["Type"] = "SecureString",
            ["Value"] = new JsonObject { ["type"] = "kubernetes", ["kubeconfig"] = kubeconfig }.ToJsonString(),
        }.ToJsonString());

    private async Task<ActionOutcome> RunAsync(Dictionary<string, string> configuration, RecordingProgress progress, string manifest = Manifest)
    {
        var source = Path.Combine(_root, "source-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(source, "k8s"));
        await File.WriteAllTextAsync(Path.Combine(source, "k8s", "deployment.yaml"), manifest);
        var input = await _artifacts.PutDirectoryAsync("store", "flask-app/1", source, CancellationToken.None);
        var role = new RequestContext(
            new Principal(PrincipalKind.AssumedRole, Account, "arn:aws:sts::000000000000:assumed-role/codepipeline-flask-app/deploy", "AROAEXAMPLE:deploy", "codepipeline-flask-app", "deploy"),
            Region, Guid.NewGuid().ToString(), null, DateTimeOffset.UtcNow, "ASIAEXAMPLE");
        var run = new ActionRun(
            role, new PipelineScope(Account, Region), "flask-app", 1, Guid.NewGuid().ToString(), "Deploy", "Kubernetes", Guid.NewGuid().ToString(),
            new ActionTypeId("Deploy", "AWS", "EKS", "1"), configuration, [new ActionArtifact("BuildArtifact", input)], [], "store", "flask-app/1", null, Region, null,
            EnvironmentVariables: [new("IMAGE_REPO", "registry.example:5000/flask-app", "PLAINTEXT"), new("IMAGE_TAG", "1a2b3c", "PLAINTEXT")]);
        return await _runner.RunAsync(run, progress, CancellationToken.None);
    }

    private static void AssertTokenNowhere(RecordingProgress progress, ActionOutcome outcome)
    {
        Assert.All(progress.Lines, l => Assert.DoesNotContain(FakeKubernetesApiServer.Token, l, StringComparison.Ordinal));
        Assert.All(progress.Summaries, l => Assert.DoesNotContain(FakeKubernetesApiServer.Token, l ?? string.Empty, StringComparison.Ordinal));
        Assert.DoesNotContain(FakeKubernetesApiServer.Token, outcome.Summary ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeKubernetesApiServer.Token, outcome.ErrorMessage ?? string.Empty, StringComparison.Ordinal);
    }

    void IDisposable.Dispose()
    {
        _server.Dispose();
        Directory.Delete(_root, recursive: true);
        Dispose();
    }

    private sealed class RecordingProgress : IActionProgress
    {
        public List<string> Lines { get; } = [];

        public List<string?> Summaries { get; } = [];

        public Task ReportAsync(string? externalExecutionId, string? externalExecutionUrl, string? summary, CancellationToken cancellationToken)
        {
            Summaries.Add(summary);
            return Task.CompletedTask;
        }

        public void Log(string line) => Lines.Add(line);
    }

    private sealed class NoAudit : IAuditLog
    {
        public void Append(IEnumerable<AuditEntry> entries)
        {
        }

        public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<AuditEntry>>([]);

        public Task<IReadOnlyDictionary<string, DateTimeOffset>> LastUsesAsync(string accountId, string actionPrefix, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, DateTimeOffset>>(new Dictionary<string, DateTimeOffset>());

        public Task<IReadOnlyDictionary<string, AccessKeyLastUse>> AccessKeyLastUsesAsync(IReadOnlyCollection<string> accessKeyIds, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, AccessKeyLastUse>>(new Dictionary<string, AccessKeyLastUse>());

        public Task<int> DeleteOlderThanAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken) => Task.FromResult(0);
    }
}
