using Cairn.Deploy.Kubernetes;
using Cairn.Runner.Processes;

namespace Cairn.Server.Tests.CodePipeline.Deploy;

/// <summary>examples/flask-app/k8s/deployment.yaml: read as the EKS deploy reads it, and checked by kubectl itself.</summary>
public sealed class ExampleManifestTests
{
    private static readonly Dictionary<string, string> Variables = new() { ["IMAGE"] = "127.0.0.1:5000/ci/sample-python-flask-app:latest" };

    private static string ExampleText() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "flask-app-k8s-deployment.yaml"));

    [Fact]
    public void The_example_manifest_holds_the_apps_Deployment_and_Service_with_the_image_substituted()
    {
        var objects = KubernetesManifest.Parse("k8s/deployment.yaml", ManifestVariables.Substitute(ExampleText(), Variables, out var unknown));

        Assert.Empty(unknown);
        Assert.Equal(["Deployment/flask-app", "Service/flask-app"], objects.Select(o => o.Describe));
        Assert.Equal(Variables["IMAGE"], objects[0].Body["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.All(objects, o => Assert.Null(o.Namespace));
    }

    [KubectlFact]
    public async Task Kubectl_accepts_the_example_manifest_in_a_client_dry_run()
    {
        using var server = new FakeKubernetesApiServer { AllowAnonymous = true };
        var file = Path.Combine(Directory.CreateTempSubdirectory("cairn-k8s-example-").FullName, "deployment.yaml");
        try
        {
            await File.WriteAllTextAsync(file, ManifestVariables.Substitute(ExampleText(), Variables, out _));

            // kubectl maps kinds through the API's discovery even for a client dry run, so it talks to the fake server's discovery;
            // --validate=false because the fake serves no OpenAPI schema (the real API server checks fields: fieldValidation=Strict).
            var result = await ToolProcess.RunAsync("kubectl",
                ["apply", "--dry-run=client", "--validate=false", "--server", server.Address, "-n", "default", "-f", file],
                environment: new Dictionary<string, string?> { ["KUBECONFIG"] = "/dev/null", ["HOME"] = Path.GetDirectoryName(file) });

            Assert.True(result.Succeeded, result.Output);
            Assert.Contains("deployment.apps/flask-app created (dry run)", result.Output, StringComparison.Ordinal);
            Assert.Contains("service/flask-app created (dry run)", result.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(server.Requests, r => r.Method is "PATCH" or "POST" or "PUT");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    /// <summary>A fact that is skipped, saying why, where kubectl is not installed (scripts/install-test-deps.sh installs it, so CI runs it).</summary>
    private sealed class KubectlFactAttribute : FactAttribute
    {
        public KubectlFactAttribute()
        {
            var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Any(d => d.Length > 0 && File.Exists(Path.Combine(d, "kubectl")));
            if (!onPath)
            {
                Skip = "kubectl is not installed: apt-get install kubernetes-client (scripts/install-test-deps.sh installs it)";
            }
        }
    }
}
