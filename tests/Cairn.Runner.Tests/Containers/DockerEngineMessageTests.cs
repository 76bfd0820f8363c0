using Cairn.Runner.Containers;

namespace Cairn.Runner.Tests.Containers;

/// <summary>A build image that cannot be had says how to fix it; the host-build image says which environment type it needs.</summary>
public sealed class DockerEngineMessageTests
{
    [Fact]
    public void The_host_image_in_a_container_build_names_LINUX_EC2()
    {
        var message = DockerEngine.MissingImage("host", "no such host");

        Assert.Contains("LINUX_EC2", message, StringComparison.Ordinal);
        Assert.Contains("(no such host)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_other_image_says_how_to_get_it()
    {
        var message = DockerEngine.MissingImage("team/app:1", "not found");

        Assert.Contains("docker pull, docker load or docker import", message, StringComparison.Ordinal);
        Assert.DoesNotContain("LINUX_EC2", message, StringComparison.Ordinal);
    }
}
