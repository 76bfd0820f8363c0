using Cairn.Core.Builds;
using Cairn.Core.Buildspec;
using Cairn.Runner.Artifacts;

namespace Cairn.Runner.Builds;

/// <summary>Everything <see cref="BuildExecutor"/> needs to run one build. Defaults live here.</summary>
public sealed record BuildRequest
{
    public const string DefaultRegion = "us-east-1";
    public const string DefaultAccountId = "000000000000";

    /// <summary>The parsed buildspec, or its parse errors (then DOWNLOAD_SOURCE fails with YAML_FILE_ERROR).</summary>
    public required BuildspecParseResult Buildspec { get; init; }

    /// <summary>Where the buildspec was read from, for the log ("YAML location is ..."); null for an inline buildspec.</summary>
    public string? BuildspecPath { get; init; }

    /// <summary>The source tree the commands run in (CODEBUILD_SRC_DIR).</summary>
    public required string SourceDirectory { get; init; }

    public required BuildIdentity Identity { get; init; }

    public string Region { get; init; } = DefaultRegion;

    public string AccountId { get; init; } = DefaultAccountId;

    /// <summary>Project environment variables (second in precedence).</summary>
    public IReadOnlyList<EnvironmentVariable> ProjectVariables { get; init; } = [];

    /// <summary>StartBuild environmentVariablesOverride (first in precedence).</summary>
    public IReadOnlyList<EnvironmentVariable> OverrideVariables { get; init; } = [];

    /// <summary>
    /// Variables the caller sets for every command, such as the build identity's AWS credentials and AWS_ENDPOINT_URL;
    /// the buildspec, project and override layers may replace them.
    /// </summary>
    public IReadOnlyDictionary<string, string> SystemVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>The environment commands start from; null means this process's environment.</summary>
    public IReadOnlyDictionary<string, string>? BaseEnvironment { get; init; }

    /// <summary>Values masked in the log from the start (access key id, secret key, session token), besides the parameters.</summary>
    public IReadOnlyList<string> SecretValues { get; init; } = [];

    /// <summary>Reads parameter-store values; null when the build may not read any (then a build that needs one fails).</summary>
    public IBuildSecretSource? Secrets { get; init; }

    /// <summary>
    /// Leave String parameters' values readable in the log (SecureStrings stay masked). CodeBuild masks every
    /// Parameter Store value, which is the default; a variable CAIRN_UNMASK_STRING_PARAMETERS=true in any layer does the same.
    /// </summary>
    public bool UnmaskStringParameters { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>Where UPLOAD_ARTIFACTS writes artifacts; null skips packaging (NO_ARTIFACTS).</summary>
    public string? ArtifactsDirectory { get; init; }

    public ArtifactPackaging ArtifactPackaging { get; init; } = ArtifactPackaging.Directory;

    /// <summary>The local cache's directory; null disables the cache section.</summary>
    public string? CacheDirectory { get; init; }

    public string Image { get; init; } = "host";

    public string? SourceVersion { get; init; }

    public string? ResolvedSourceVersion { get; init; }

    public string? SourceRepoUrl { get; init; }

    /// <summary>How fixes spell the aws CLI, e.g. "aws --endpoint-url http://127.0.0.1:4566".</summary>
    public string AwsCommand { get; init; } = "aws";

    /// <summary>How long stopped commands get after SIGINT and again after SIGTERM.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the commands run (this host, a sandbox, a container): data, so an agent or a pod is told the same thing.</summary>
    public BuildPlacement Placement { get; init; } = BuildPlacement.Host;

    public string BuildArn => $"arn:aws:codebuild:{Region}:{AccountId}:build/{Identity.BuildId}";
}
