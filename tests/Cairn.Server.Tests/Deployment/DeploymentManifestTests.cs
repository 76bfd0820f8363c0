using Cairn.Deploy.Kubernetes;
using Cairn.Runner.Processes;
using Cairn.Server.Tests.CodePipeline.Deploy;

namespace Cairn.Server.Tests.Deployment;

/// <summary>
/// deploy/compose/docker-compose.yml and deploy/kubernetes/cairn.yaml (PostgreSQL, two servers, two agents): checked by
/// the tools a team runs them with, docker-compose's `config` and kubectl's client dry run, and read for what matters
/// to Cairn (the agents know both servers, no agent is given the database or the master key).
/// </summary>
public sealed class DeploymentManifestTests
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "TestData", "deploy");

    private static readonly Dictionary<string, string?> ComposeEnvironment = new()
    {
        ["POSTGRES_PASSWORD"] = "pg-password-for-the-test",
        ["CAIRN_MASTER_KEY"] = Convert.ToBase64String(new byte[32]),
        ["CAIRN_ROOT_ACCESS_KEY_ID"] = "AKIAEXAMPLE000000000",
        ["CAIRN_ROOT_SECRET_ACCESS_KEY"] = "example-secret-access-key-of-40-chars-xx",
        ["CAIRN_AGENT_TOKEN_1"] = "cairnreg-one",
        ["CAIRN_AGENT_TOKEN_2"] = null,
    };

    [ToolFact("docker-compose", "apt-get install docker-compose")]
    public async Task Docker_compose_accepts_the_file_and_resolves_two_servers_on_postgres_and_two_agents_on_both()
    {
        var result = await ToolProcess.RunAsync("docker-compose", ["-f", Path.Combine(Directory, "docker-compose.yml"), "config"],
            workingDirectory: Directory, environment: ComposeEnvironment);
        Assert.True(result.Succeeded, result.Output);
        var config = result.Output;
        foreach (var service in new[] { "postgres:", "cairn-a:", "cairn-b:", "agent-1:", "agent-2:" })
        {
            Assert.Contains("  " + service, config, StringComparison.Ordinal);
        }

        Assert.Contains("CAIRN_DATABASE: Host=postgres;Database=cairn;Username=cairn;Password=pg-password-for-the-test", config, StringComparison.Ordinal);
        Assert.Contains("CAIRN_AGENT_TOKEN: cairnreg-one", config, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(config, "- http://cairn-a:4566\n    - --server\n    - http://cairn-b:4566"));

        // The agents' part of the resolved file: no database string, no master key.
        var agents = config[config.IndexOf("  agent-1:", StringComparison.Ordinal)..config.IndexOf("  cairn-a:", StringComparison.Ordinal)];
        Assert.DoesNotContain("CAIRN_DATABASE", agents, StringComparison.Ordinal);
        Assert.DoesNotContain("CAIRN_MASTER_KEY", agents, StringComparison.Ordinal);
    }

    [ToolFact("docker-compose", "apt-get install docker-compose")]
    public async Task Docker_compose_names_the_setting_that_is_missing()
    {
        var environment = new Dictionary<string, string?>(ComposeEnvironment) { ["CAIRN_MASTER_KEY"] = null };
        var result = await ToolProcess.RunAsync("docker-compose", ["-f", Path.Combine(Directory, "docker-compose.yml"), "config", "-q"],
            workingDirectory: Directory, environment: environment);
        Assert.False(result.Succeeded, result.Output);
        Assert.Contains("set CAIRN_MASTER_KEY in .env (openssl rand -base64 32)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_kubernetes_manifest_holds_postgres_two_servers_and_two_agents_that_know_both_servers_and_no_database_secret()
    {
        var objects = KubernetesManifest.Parse("cairn.yaml", File.ReadAllText(Path.Combine(Directory, "cairn.yaml")));
        Assert.Equal(
            ["Namespace/cairn", "Secret/cairn-server", "Secret/cairn-agent-tokens", "Service/postgres", "StatefulSet/postgres", "Service/cairn",
             "Service/cairn-servers", "StatefulSet/cairn", "StatefulSet/cairn-agent"],
            objects.Select(o => o.Describe));
        Assert.Equal("2", objects.Single(o => o.Describe == "StatefulSet/cairn").Body["spec"]!["replicas"]!.ToJsonString());
        var agent = objects.Single(o => o.Describe == "StatefulSet/cairn-agent");
        Assert.Equal("2", agent.Body["spec"]!["replicas"]!.ToJsonString());
        var agentText = agent.Body.ToJsonString();
        Assert.Contains("--server http://cairn-0.cairn-servers:4566 --server http://cairn-1.cairn-servers:4566", agentText, StringComparison.Ordinal);
        Assert.DoesNotContain("cairn-server\"", agentText, StringComparison.Ordinal);
        Assert.DoesNotContain("CAIRN_DATABASE", agentText, StringComparison.Ordinal);
        Assert.All(objects.Where(o => o.Kind != "Namespace"), o => Assert.Equal("cairn", o.Namespace));
    }

    [ToolFact("kubectl", "apt-get install kubernetes-client")]
    public async Task Kubectl_accepts_the_kubernetes_manifest_in_a_client_dry_run()
    {
        using var server = new FakeKubernetesApiServer { AllowAnonymous = true };
        var home = System.IO.Directory.CreateTempSubdirectory("cairn-k8s-deploy-").FullName;
        try
        {
            // kubectl maps kinds through the API's discovery even for a client dry run (the fake's); --validate=false as the
            // fake serves no OpenAPI schema.
            var result = await ToolProcess.RunAsync("kubectl",
                ["apply", "--dry-run=client", "--validate=false", "--server", server.Address, "-f", Path.Combine(Directory, "cairn.yaml")],
                environment: new Dictionary<string, string?> { ["KUBECONFIG"] = "/dev/null", ["HOME"] = home });

            Assert.True(result.Succeeded, result.Output);
            foreach (var created in new[] { "namespace/cairn", "secret/cairn-server", "service/cairn", "statefulset.apps/postgres", "statefulset.apps/cairn", "statefulset.apps/cairn-agent" })
            {
                Assert.Contains($"{created} created (dry run)", result.Output, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(server.Requests, r => r.Method is "PATCH" or "POST" or "PUT");
        }
        finally
        {
            System.IO.Directory.Delete(home, recursive: true);
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>A fact skipped, saying what to install, where <paramref name="tool"/> is not on PATH (scripts/install-test-deps.sh installs it, so CI runs it).</summary>
    private sealed class ToolFactAttribute : FactAttribute
    {
        public ToolFactAttribute(string tool, string install)
        {
            var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, tool)));
            if (!onPath)
            {
                Skip = $"{tool} is not installed: {install} (scripts/install-test-deps.sh installs it)";
            }
        }
    }
}
