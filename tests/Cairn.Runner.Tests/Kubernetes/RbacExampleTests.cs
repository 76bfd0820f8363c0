using Cairn.Runner.Processes;

namespace Cairn.Runner.Tests.Kubernetes;

/// <summary>examples/kubernetes/build-executor-rbac.yaml: kubectl accepts it, and it grants every verb the executor uses.</summary>
public sealed class RbacExampleTests
{
    private static string Example => Path.Combine(AppContext.BaseDirectory, "Kubernetes", "build-executor-rbac.yaml");

    [Fact]
    public async Task Kubectl_accepts_the_RBAC_example_in_a_client_dry_run()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "kubectl")));
        Assert.True(onPath, "kubectl is not installed: scripts/install-test-deps.sh installs it");
        using var server = new FakeBatchApiServer { AllowAnonymous = true };
        var home = Directory.CreateTempSubdirectory("cairn-rbac-").FullName;
        try
        {
            var result = await ToolProcess.RunAsync("kubectl",
                ["apply", "--dry-run=client", "--validate=false", "--server", server.Address, "-n", "ci", "-f", Example],
                environment: new Dictionary<string, string?> { ["KUBECONFIG"] = "/dev/null", ["HOME"] = home });

            Assert.True(result.Succeeded, result.Output);
            Assert.Contains("serviceaccount/cairn-agent created (dry run)", result.Output, StringComparison.Ordinal);
            Assert.Contains("role.rbac.authorization.k8s.io/cairn-build-executor created (dry run)", result.Output, StringComparison.Ordinal);
            Assert.Contains("rolebinding.rbac.authorization.k8s.io/cairn-build-executor created (dry run)", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public void The_Role_grants_every_verb_the_executor_calls()
    {
        var text = File.ReadAllText(Example);

        // The executor's calls (KubernetesBuildJobs): verbs by resource.
        Assert.Contains("resources: [\"jobs\"]\n    verbs: [\"create\", \"get\", \"list\", \"patch\", \"delete\"]", text, StringComparison.Ordinal);
        Assert.Contains("resources: [\"pods\"]\n    verbs: [\"get\", \"list\"]", text, StringComparison.Ordinal);
        Assert.Contains("resources: [\"pods/log\"]\n    verbs: [\"get\"]", text, StringComparison.Ordinal);
        Assert.Contains("resources: [\"secrets\", \"configmaps\"]\n    verbs: [\"create\", \"list\", \"delete\"]", text, StringComparison.Ordinal);
    }
}
