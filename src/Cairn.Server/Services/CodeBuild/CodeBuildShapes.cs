using Cairn.Core.Builds;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.CodeBuild;

/// <summary>The CodeBuild operations' input shapes, transcribed from the service model (aws-models/codebuild); members Cairn only stores are not checked.</summary>
internal static partial class CodeBuildShapes
{
    private static readonly StringShape NonEmpty = new(1);
    private static readonly StringShape Text = new();
    private static readonly BooleanShape Boolean = new();
    private static readonly StringShape SortOrder = new(Enum: ["ASCENDING", "DESCENDING"]);
    private static readonly NumberShape BuildTimeout = new(5, 2160);
    private static readonly NumberShape QueuedTimeout = new(5, 480);
    private static readonly ListShape BuildIds = new(NonEmpty, 1, 100);
    private static readonly ListShape ProjectNames = new(NonEmpty, 1, 100);

    private static readonly ListShape EnvironmentVariables = new(new StructureShape(
        new MemberShape("name", NonEmpty, true),
        new MemberShape("value", Text, true),
        new MemberShape("type", new StringShape(Enum: [EnvironmentVariable.Plaintext, EnvironmentVariable.ParameterStore, EnvironmentVariable.SecretsManager]))));

    private static readonly StructureShape Source = new(
        new MemberShape("type", new StringShape(Enum: SourceTypes.All), true),
        new MemberShape("location", Text),
        new MemberShape("gitCloneDepth", new NumberShape(0)),
        new MemberShape("buildspec", Text),
        new MemberShape("reportBuildStatus", Boolean),
        new MemberShape("insecureSsl", Boolean),
        new MemberShape("sourceIdentifier", Text));

    private static readonly StructureShape Artifacts = new(
        new MemberShape("type", new StringShape(Enum: ["CODEPIPELINE", "S3", "NO_ARTIFACTS"]), true),
        new MemberShape("location", Text),
        new MemberShape("path", Text),
        new MemberShape("namespaceType", new StringShape(Enum: ["NONE", "BUILD_ID"])),
        new MemberShape("name", Text),
        new MemberShape("packaging", new StringShape(Enum: ["NONE", "ZIP"])),
        new MemberShape("overrideArtifactName", Boolean),
        new MemberShape("encryptionDisabled", Boolean));

    private static readonly StructureShape Environment = new(
        new MemberShape("type", new StringShape(Enum: EnvironmentTypes.All), true),
        new MemberShape("image", NonEmpty, true),
        new MemberShape("computeType", new StringShape(Enum: EnvironmentTypes.ComputeTypes), true),
        new MemberShape("environmentVariables", EnvironmentVariables),
        new MemberShape("privilegedMode", Boolean),
        new MemberShape("certificate", Text),
        new MemberShape("imagePullCredentialsType", new StringShape(Enum: ["CODEBUILD", "SERVICE_ROLE"])));

    private static readonly ListShape Tags = new(new StructureShape(
        new MemberShape("key", new StringShape(1, 127, @"^([\p{L}\p{Z}\p{N}_.:/=@+\-]*)$")),
        new MemberShape("value", new StringShape(0, 255, @"^([\p{L}\p{Z}\p{N}_.:/=@+\-]*)$"))), 0, 50);

    /// <summary>logsConfig: CloudWatch Logs (status required) and S3 logs (stored, not written by Cairn).</summary>
    private static readonly StructureShape LogsConfig = new(
        new MemberShape("cloudWatchLogs", new StructureShape(
            new MemberShape("status", new StringShape(Enum: ["ENABLED", "DISABLED"]), true),
            new MemberShape("groupName", new StringShape()),
            new MemberShape("streamName", new StringShape()))));

    public static readonly StructureShape CreateProject = new(
        new MemberShape("name", new StringShape(2, 150, @"[A-Za-z0-9][A-Za-z0-9\-_]{1,149}"), true),
        new MemberShape("description", new StringShape(0, 255)),
        new MemberShape("source", Source, true),
        new MemberShape("sourceVersion", Text),
        new MemberShape("artifacts", Artifacts, true),
        new MemberShape("environment", Environment, true),
        new MemberShape("serviceRole", NonEmpty, true),
        new MemberShape("timeoutInMinutes", BuildTimeout),
        new MemberShape("queuedTimeoutInMinutes", QueuedTimeout),
        new MemberShape("encryptionKey", NonEmpty),
        new MemberShape("logsConfig", LogsConfig),
        new MemberShape("tags", Tags),
        new MemberShape("badgeEnabled", Boolean),
        new MemberShape("concurrentBuildLimit", new NumberShape()));

    public static readonly StructureShape UpdateProject = new(
        new MemberShape("name", NonEmpty, true),
        new MemberShape("description", new StringShape(0, 255)),
        new MemberShape("source", Source),
        new MemberShape("sourceVersion", Text),
        new MemberShape("artifacts", Artifacts),
        new MemberShape("environment", Environment),
        new MemberShape("serviceRole", NonEmpty),
        new MemberShape("timeoutInMinutes", BuildTimeout),
        new MemberShape("queuedTimeoutInMinutes", QueuedTimeout),
        new MemberShape("encryptionKey", NonEmpty),
        new MemberShape("logsConfig", LogsConfig),
        new MemberShape("tags", Tags),
        new MemberShape("badgeEnabled", Boolean),
        new MemberShape("concurrentBuildLimit", new NumberShape()));

    public static readonly StructureShape DeleteProject = new(new MemberShape("name", NonEmpty, true));

    public static readonly StructureShape BatchGetProjects = new(new MemberShape("names", ProjectNames, true));

    public static readonly StructureShape ListProjects = new(
        new MemberShape("sortBy", new StringShape(Enum: ["NAME", "CREATED_TIME", "LAST_MODIFIED_TIME"])),
        new MemberShape("sortOrder", SortOrder),
        new MemberShape("nextToken", NonEmpty));

    public static readonly StructureShape StartBuild = new(
        new MemberShape("projectName", NonEmpty, true),
        new MemberShape("sourceVersion", Text),
        new MemberShape("artifactsOverride", Artifacts),
        new MemberShape("environmentVariablesOverride", EnvironmentVariables),
        new MemberShape("sourceTypeOverride", new StringShape(Enum: SourceTypes.All)),
        new MemberShape("sourceLocationOverride", Text),
        new MemberShape("gitCloneDepthOverride", new NumberShape(0)),
        new MemberShape("buildspecOverride", Text),
        new MemberShape("insecureSslOverride", Boolean),
        new MemberShape("environmentTypeOverride", new StringShape(Enum: EnvironmentTypes.All)),
        new MemberShape("imageOverride", NonEmpty),
        new MemberShape("computeTypeOverride", new StringShape(Enum: EnvironmentTypes.ComputeTypes)),
        new MemberShape("serviceRoleOverride", NonEmpty),
        new MemberShape("privilegedModeOverride", Boolean),
        new MemberShape("timeoutInMinutesOverride", BuildTimeout),
        new MemberShape("queuedTimeoutInMinutesOverride", QueuedTimeout),
        new MemberShape("encryptionKeyOverride", NonEmpty),
        new MemberShape("logsConfigOverride", LogsConfig),
        new MemberShape("idempotencyToken", Text));

    public static readonly StructureShape BatchGetBuilds = new(new MemberShape("ids", BuildIds, true));

    public static readonly StructureShape StopBuild = new(new MemberShape("id", NonEmpty, true));

    public static readonly StructureShape RetryBuild = new(
        new MemberShape("id", NonEmpty),
        new MemberShape("idempotencyToken", Text));

    public static readonly StructureShape ListBuilds = new(
        new MemberShape("sortOrder", SortOrder),
        new MemberShape("nextToken", Text));

    public static readonly StructureShape ListBuildsForProject = new(
        new MemberShape("projectName", NonEmpty, true),
        new MemberShape("sortOrder", SortOrder),
        new MemberShape("nextToken", Text));

    public static readonly StructureShape BatchDeleteBuilds = new(new MemberShape("ids", BuildIds, true));
}
