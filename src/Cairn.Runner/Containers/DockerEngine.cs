using Cairn.Runner.Processes;

namespace Cairn.Runner.Containers;

/// <summary>
/// The Docker engine as the <c>docker</c> CLI reaches it: whether it answers, whether an image is there (pulling it
/// if not), and removing a build's containers. Every failure comes back as a sentence that says what to do.
/// </summary>
public sealed class DockerEngine(string dockerCommand = "docker")
{
    /// <summary>Label every build container carries, with the build's uuid, so a stopped build's containers can be found.</summary>
    public const string BuildLabel = "cairn.build";

    public string Command { get; } = dockerCommand;

    /// <summary>Null when the engine answers; otherwise why not and how to fix it.</summary>
    public async Task<string?> CheckEngineAsync(CancellationToken cancellationToken)
    {
        var version = await ToolProcess.RunAsync(Command, ["version", "--format", "{{.Server.Version}}"], cancellationToken: cancellationToken);
        if (version.Succeeded)
        {
            return null;
        }

        return version.ExitCode == 127
            ? $"the docker CLI ('{Command}') was not found on the Cairn host: install Docker (e.g. apt-get install docker.io), or use environment type LINUX_EC2 to run on the host"
            : $"no Docker engine is reachable ({version.LastLine}): start dockerd on the Cairn host (or set DOCKER_HOST), or use environment type LINUX_EC2 to run on the host";
    }

    /// <summary>Null when <paramref name="image"/> is present (after pulling it if it was not); otherwise why not and how to fix it.</summary>
    public async Task<string?> EnsureImageAsync(string image, Action<string> log, CancellationToken cancellationToken)
    {
        var inspect = await ToolProcess.RunAsync(Command, ["image", "inspect", "--format", "{{.Id}}", image], cancellationToken: cancellationToken);
        if (inspect.Succeeded)
        {
            return null;
        }

        if (image == HostImage)
        {
            // Not an image any registry has: pulling it would only wait for Docker Hub (or a registry mirror) to say so.
            return HostImageInContainerBuild;
        }

        log($"Pulling image {image}");
        var pull = await ToolProcess.RunAsync(Command, ["pull", "--quiet", image], cancellationToken: cancellationToken);
        return pull.Succeeded ? null : MissingImage(image, pull.LastLine);
    }

    /// <summary>Why a build image cannot be used and how to fix it; <c>host</c> (Cairn's host-build image) gets the setting it needs.</summary>
    internal static string MissingImage(string image, string pullError) =>
        $"the build image {image} is not on the Cairn host and could not be pulled ({pullError}): "
        + "docker pull, docker load or docker import it there, or set the project's image to one that is present (docker image ls)";

    /// <summary>Why the image <c>host</c> (with no local image of that name) cannot run a container build, and the setting it needs.</summary>
    internal const string HostImageInContainerBuild =
        "the image 'host' is Cairn's host build, not a container image: it runs the build in a shell on the Cairn host and needs "
        + "the environment type LINUX_EC2, not a container type (e.g. aws codebuild update-project --name <project> "
        + "--environment type=LINUX_EC2,image=host,computeType=BUILD_GENERAL1_SMALL)";

    /// <summary>The image name of a host build (LINUX_EC2), as /aws/service/codebuild/images/host names it.</summary>
    private const string HostImage = "host";

    /// <summary>Removes (killing if needed) every container of the build; returns how many there were.</summary>
    public async Task<int> RemoveBuildContainersAsync(string buildUuid, CancellationToken cancellationToken)
    {
        var list = await ToolProcess.RunAsync(Command, ["ps", "--all", "--quiet", "--filter", $"label={BuildLabel}={buildUuid}"], cancellationToken: cancellationToken);
        var ids = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length > 0)
        {
            await ToolProcess.RunAsync(Command, ["rm", "--force", .. ids], cancellationToken: cancellationToken);
        }

        return ids.Length;
    }

    /// <summary>Ids of the build's containers that still exist.</summary>
    public async Task<IReadOnlyList<string>> ListBuildContainersAsync(string buildUuid, CancellationToken cancellationToken)
    {
        var list = await ToolProcess.RunAsync(Command, ["ps", "--all", "--quiet", "--filter", $"label={BuildLabel}={buildUuid}"], cancellationToken: cancellationToken);
        return list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
