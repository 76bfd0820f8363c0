using Cairn.Core.Builds;
using Cairn.Core.Buildspec;
using Cairn.Core.Identity;
using Cairn.Runner.Containers;
using Cairn.Runner.Masking;
using Cairn.Runner.Sources;

namespace Cairn.Server.Services.CodeBuild.Execution;

/// <summary>One build handed to the runner once it is provisioned and its source is in place.</summary>
internal sealed record BuildRunRequest
{
    public required BuildRecord Build { get; init; }

    public required FetchedSource Source { get; init; }

    /// <summary>The parsed buildspec or its errors (the runner fails DOWNLOAD_SOURCE with YAML_FILE_ERROR).</summary>
    public required BuildspecParseResult Buildspec { get; init; }

    /// <summary>Where the buildspec was read from; null for an inline one.</summary>
    public string? BuildspecPath { get; init; }

    /// <summary>The role session's credentials and Cairn's endpoint, for every command.</summary>
    public required IReadOnlyDictionary<string, string> SystemVariables { get; init; }

    /// <summary>What commands start from (the host's environment without Cairn's own secrets, or a container's basics).</summary>
    public required IReadOnlyDictionary<string, string> BaseEnvironment { get; init; }

    /// <summary>The one masker every byte of the log goes through; the role's keys are already in it.</summary>
    public required SecretMasker Masker { get; init; }

    /// <summary>Who parameter-store values are read as: the build's role session.</summary>
    public required RequestContext RoleContext { get; init; }

    /// <summary>Set for LINUX_CONTAINER builds: the commands' shell runs in a container.</summary>
    public ContainerShellFactory? Containers { get; init; }

    /// <summary>Set for sandboxed host builds: the commands' shell runs in the sandbox.</summary>
    public Runner.Sandbox.HostSandbox? Sandbox { get; init; }

    /// <summary>What is left of the build's timeout.</summary>
    public required TimeSpan Timeout { get; init; }

    public required string ArtifactsDirectory { get; init; }

    public required string CacheDirectory { get; init; }

    /// <summary>How fixes in the log spell the aws CLI (with Cairn's endpoint).</summary>
    public string AwsCommand { get; init; } = "aws";
}
