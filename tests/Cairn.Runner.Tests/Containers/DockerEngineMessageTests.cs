using Cairn.Runner.Containers;

namespace Cairn.Runner.Tests.Containers;

/// <summary>A build image that cannot be had says how to fix it; the host-build image says which environment type it needs.</summary>
public sealed class DockerEngineMessageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cairn-docker-stub-").FullName;

    [Fact]
    public async Task The_host_image_in_a_container_build_names_LINUX_EC2_without_trying_to_pull_it()
    {
        var (docker, calls) = Stub();
        var logged = new List<string>();

        var problem = await new DockerEngine(docker).EnsureImageAsync("host", logged.Add, CancellationToken.None);

        Assert.Equal(DockerEngine.HostImageInContainerBuild, problem);
        Assert.Contains("needs the environment type LINUX_EC2", problem, StringComparison.Ordinal);
        Assert.Equal(["image inspect --format {{.Id}} host"], File.ReadAllLines(calls));
        Assert.Empty(logged);
    }

    [Fact]
    public async Task Any_other_missing_image_is_pulled_and_then_says_how_to_get_it()
    {
        var (docker, calls) = Stub();
        var logged = new List<string>();

        var problem = await new DockerEngine(docker).EnsureImageAsync("team/app:1", logged.Add, CancellationToken.None);

        Assert.Equal(["image inspect --format {{.Id}} team/app:1", "pull --quiet team/app:1"], File.ReadAllLines(calls));
        Assert.Equal(["Pulling image team/app:1"], logged);
        Assert.Equal(DockerEngine.MissingImage("team/app:1", "pull access denied for team/app"), problem);
        Assert.Contains("docker pull, docker load or docker import", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("LINUX_EC2", problem, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A docker CLI that records its arguments and fails every call as a host with no images and no registry would.</summary>
    private (string Docker, string Calls) Stub()
    {
        var docker = Path.Combine(_directory, "docker");
        var calls = Path.Combine(_directory, "calls.txt");
        File.WriteAllText(docker, $"#!/bin/sh\necho \"$*\" >> '{calls}'\n[ \"$1\" = pull ] && echo \"pull access denied for team/app\" >&2\nexit 1\n");
        File.SetUnixFileMode(docker, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return (docker, calls);
    }
}
