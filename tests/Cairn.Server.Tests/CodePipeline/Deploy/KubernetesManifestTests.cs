using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Deploy.Kubernetes;

namespace Cairn.Server.Tests.CodePipeline.Deploy;

public sealed class KubernetesManifestTests
{
    [Fact]
    public void Documents_are_read_with_typed_scalars_empty_ones_skipped_and_lists_unwrapped()
    {
        var objects = KubernetesManifest.Parse("k8s/all.yaml", """
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: prod}
            data:
              port: "8000"
              debug: "false"
            ---
            ---
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Service
              metadata: {name: web}
              spec: {ports: [{port: 80, targetPort: 8000}], clusterIP: null}
            """);

        Assert.Equal(["ConfigMap/settings", "Service/web"], objects.Select(o => o.Describe));
        Assert.Equal("prod", objects[0].Namespace);
        Assert.Equal("8000", objects[0].Body["data"]!["port"]!.GetValue<string>());
        Assert.Equal(80, objects[1].Body["spec"]!["ports"]![0]!["port"]!.GetValue<long>());
        Assert.Null(objects[1].Body["spec"]!["clusterIP"]);
        Assert.Equal("k8s/all.yaml (document 3)", objects[1].Where);
        Assert.Equal((string.Empty, "v1"), objects[1].GroupVersion);
    }

    [Theory]
    [InlineData("kind: Service\nmetadata: {name: web}\n", "document 1 (line 1) has no apiVersion")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {}\n", "document 1 (line 1) has no metadata.name")]
    [InlineData("apiVersion: v1\nkind: Service\nmetadata: {name: Web_App}\n", "Service name 'Web_App' is not a valid Kubernetes name")]
    [InlineData("- a\n- b\n", "document 1 (line 1) is not a mapping")]
    public void An_object_without_what_kubectl_needs_is_refused_naming_the_document(string text, string problem)
    {
        var error = Assert.Throws<AwsException>(() => KubernetesManifest.Parse("m.yaml", text));

        Assert.StartsWith("The manifest file m.yaml cannot be applied: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_declared_variables_are_substituted_and_leftover_braced_ones_are_reported()
    {
        var text = ManifestVariables.Substitute("image: ${REPO}:$TAG\ncommand: echo $HOME ${MISSING} $TAGGED",
            new Dictionary<string, string> { ["REPO"] = "r:5000/app", ["TAG"] = "7" }, out var unknown);

        Assert.Equal("image: r:5000/app:7\ncommand: echo $HOME ${MISSING} $TAGGED", text);
        Assert.Equal(["MISSING"], unknown);
    }
}
