using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Core.Builds;

/// <summary>
/// A project's settings as CodeBuild's API carries them: <see cref="Document"/> is the JSON of every member the caller
/// set (echoed back as given, including members Cairn stores but does not act on, such as vpcConfig), and the typed
/// properties are the parts a build uses. A build keeps its own copy, with StartBuild's overrides applied.
/// </summary>
public sealed record ProjectSettings
{
    public const int DefaultTimeoutInMinutes = 60;
    public const int DefaultQueuedTimeoutInMinutes = 480;

    /// <summary>The project's members as JSON text (name, source, artifacts, environment, serviceRole, ...).</summary>
    public required string Document { get; init; }

    public required ProjectSource Source { get; init; }

    public string? SourceVersion { get; init; }

    public required ProjectEnvironment Environment { get; init; }

    public required string ArtifactsType { get; init; }

    /// <summary>artifacts.packaging: ZIP or NONE (a directory).</summary>
    public string ArtifactsPackaging { get; init; } = "NONE";

    /// <summary>cache.type: NO_CACHE, LOCAL or S3 (Cairn keeps any cache on its host).</summary>
    public string CacheType { get; init; } = "NO_CACHE";

    public required string ServiceRole { get; init; }

    public int TimeoutInMinutes { get; init; } = DefaultTimeoutInMinutes;

    public int QueuedTimeoutInMinutes { get; init; } = DefaultQueuedTimeoutInMinutes;

    /// <summary>Most builds of this project that run at once; null means no project limit.</summary>
    public int? ConcurrentBuildLimit { get; init; }

    public string? EncryptionKey { get; init; }

    /// <summary>logsConfig.cloudWatchLogs: whether builds write a CloudWatch Logs stream, and its group and stream prefix.</summary>
    public CloudWatchLogsSettings CloudWatchLogs { get; init; } = CloudWatchLogsSettings.Default;

    /// <summary>Reads the typed parts of a document that the API layer has already checked against the model.</summary>
    public static ProjectSettings FromDocument(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var source = document["source"] as JsonObject ?? [];
        var environment = document["environment"] as JsonObject ?? [];
        var variables = environment["environmentVariables"] is JsonArray list
            ? list.OfType<JsonObject>().Select(v => new EnvironmentVariable(
                Text(v, "name") ?? string.Empty, Text(v, "value") ?? string.Empty, Text(v, "type") ?? EnvironmentVariable.Plaintext)).ToList()
            : [];
        return new ProjectSettings
        {
            Document = document.ToJsonString(),
            Source = new ProjectSource(
                Text(source, "type") ?? SourceTypes.NoSource,
                Text(source, "location"),
                Text(source, "buildspec"),
                Number(source, "gitCloneDepth"),
                Flag(source, "insecureSsl")),
            SourceVersion = Text(document, "sourceVersion"),
            Environment = new ProjectEnvironment(
                Text(environment, "type") ?? EnvironmentTypes.LinuxContainer,
                Text(environment, "image") ?? string.Empty,
                Text(environment, "computeType") ?? "BUILD_GENERAL1_SMALL",
                variables,
                Flag(environment, "privilegedMode")),
            ArtifactsType = Text(document["artifacts"] as JsonObject ?? [], "type") ?? "NO_ARTIFACTS",
            ArtifactsPackaging = Text(document["artifacts"] as JsonObject ?? [], "packaging") ?? "NONE",
            CacheType = Text(document["cache"] as JsonObject ?? [], "type") ?? "NO_CACHE",
            ServiceRole = Text(document, "serviceRole") ?? string.Empty,
            TimeoutInMinutes = Number(document, "timeoutInMinutes") ?? DefaultTimeoutInMinutes,
            QueuedTimeoutInMinutes = Number(document, "queuedTimeoutInMinutes") ?? DefaultQueuedTimeoutInMinutes,
            ConcurrentBuildLimit = Number(document, "concurrentBuildLimit"),
            EncryptionKey = Text(document, "encryptionKey"),
            CloudWatchLogs = (document["logsConfig"] as JsonObject)?["cloudWatchLogs"] is JsonObject logs
                ? new CloudWatchLogsSettings(Text(logs, "status") != "DISABLED", NonEmpty(Text(logs, "groupName")), NonEmpty(Text(logs, "streamName")))
                : CloudWatchLogsSettings.Default,
        };
    }

    public static ProjectSettings FromDocument(string json) =>
        FromDocument(JsonNode.Parse(json) as JsonObject ?? throw new FormatException("A project document must be a JSON object."));

    /// <summary>A fresh mutable copy of <see cref="Document"/>.</summary>
    public JsonObject ToJson() => (JsonObject)JsonNode.Parse(Document)!;

    private static string? Text(JsonObject node, string member) =>
        node[member] is { } value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static bool Flag(JsonObject node, string member) =>
        node[member] is { } value && value.GetValueKind() == JsonValueKind.True;

    private static int? Number(JsonObject node, string member) =>
        node[member] is { } value && value.GetValueKind() == JsonValueKind.Number
        && int.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
