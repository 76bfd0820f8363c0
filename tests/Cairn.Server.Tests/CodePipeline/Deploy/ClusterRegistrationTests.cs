using Cairn.Application.Pipelines.Actions.Deploy;
using Cairn.Core.Errors;

namespace Cairn.Server.Tests.CodePipeline.Deploy;

public sealed class ClusterRegistrationTests
{
    [Fact]
    public void A_swarm_registration_is_read_with_its_registries()
    {
        var cluster = Assert.IsType<SwarmCluster>(ClusterRegistration.Parse("prod", """
            {"type":"swarm","dockerHost":"tcp://10.0.0.5:2376","registries":{"127.0.0.1:5000":{"username":"ci","passwordParameter":"/cairn/registry/password"}}}
            """, ClusterRegistration.SwarmType));

        Assert.Equal("tcp://10.0.0.5:2376", cluster.DockerHost);
        Assert.Equal(new RegistryLogin("ci", "/cairn/registry/password"), cluster.Registries["127.0.0.1:5000"]);
        Assert.Equal("/cairn/clusters/prod", cluster.ParameterName);
    }

    [Fact]
    public void A_swarm_without_dockerHost_is_the_local_engine()
    {
        var cluster = Assert.IsType<SwarmCluster>(ClusterRegistration.Parse("local", """{"type":"swarm"}""", ClusterRegistration.SwarmType));

        Assert.Equal("unix:///var/run/docker.sock", cluster.DockerHost);
        Assert.Empty(cluster.Registries);
    }

    [Fact]
    public void A_kubernetes_registration_keeps_its_kubeconfig_out_of_ToString()
    {
        var cluster = Assert.IsType<KubernetesCluster>(ClusterRegistration.Parse("k8s", """{"type":"kubernetes","kubeconfig":"apiVersion: v1\ntoken: s3cret"}""", ClusterRegistration.KubernetesType));

        Assert.Contains("token: s3cret", cluster.Kubeconfig, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", cluster.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "its value is not JSON")]
    [InlineData("[1]", "its value must be a JSON object")]
    [InlineData("""{"dockerHost":"unix:///var/run/docker.sock"}""", "\"type\" is missing; it is \"swarm\" or \"kubernetes\"")]
    [InlineData("""{"type":"ecs"}""", "\"type\" is \"ecs\"; it is \"swarm\" or \"kubernetes\"")]
    [InlineData("""{"type":"swarm","dockerHost":"10.0.0.5:2376"}""", "\"dockerHost\" is \"10.0.0.5:2376\"; it is a DOCKER_HOST address")]
    [InlineData("""{"type":"swarm","registries":{"r:5000":{"username":"ci","password":"x"}}}""", "registry \"r:5000\" has a \"password\": a password never goes in the registration")]
    [InlineData("""{"type":"swarm","registries":{"r:5000":{"username":"ci"}}}""", "registry \"r:5000\" has no \"passwordParameter\"")]
    [InlineData("""{"type":"kubernetes"}""", "\"kubeconfig\" is missing or empty")]
    public void A_malformed_registration_says_what_is_wrong_and_how_to_register(string json, string problem)
    {
        var error = Assert.Throws<AwsException>(() => ClusterRegistration.Parse("prod", json, ClusterRegistration.SwarmType));

        Assert.Equal("JobFailed", error.Code);
        Assert.Contains("The registration of cluster 'prod' (parameter /cairn/clusters/prod) is not valid: " + problem, error.Message, StringComparison.Ordinal);
        Assert.Contains("aws ssm put-parameter --name /cairn/clusters/prod --type String --overwrite --value '{\"type\":\"swarm\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/app:1", "127.0.0.1:5000")]
    [InlineData("registry.example.com/team/app@sha256:abc", "registry.example.com")]
    [InlineData("localhost/app", "localhost")]
    [InlineData("team/app:1", "docker.io")]
    [InlineData("app", "docker.io")]
    public void The_registry_of_an_image_is_its_first_component_when_that_is_a_host(string image, string registry)
    {
        Assert.Equal(registry, SwarmDeployRunner.RegistryOf(image));
    }
}
