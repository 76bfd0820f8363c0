using System.Text.Json.Nodes;
using Cairn.Core.Builds;

namespace Cairn.Server.Services.CodeBuild;

/// <summary>Projects and builds in the shapes CodeBuild's API returns them (timestamps as epoch seconds).</summary>
internal static class CodeBuildJson
{
    public static JsonObject Project(BuildProject project)
    {
        var json = project.Settings.ToJson();
        json["name"] = project.Name;
        json["arn"] = project.Arn;
        json["created"] = Seconds(project.Created);
        json["lastModified"] = Seconds(project.LastModified);
        json["timeoutInMinutes"] = project.Settings.TimeoutInMinutes;
        json["queuedTimeoutInMinutes"] = project.Settings.QueuedTimeoutInMinutes;
        json["tags"] ??= new JsonArray();
        json["encryptionKey"] ??= DefaultEncryptionKey(project.Scope);
        json["badge"] = new JsonObject { ["badgeEnabled"] = json["badgeEnabled"]?.GetValue<bool>() ?? false };
        json.Remove("badgeEnabled");
        json["projectVisibility"] ??= "PRIVATE";
        return json;
    }

    public static JsonObject Build(BuildRecord build, string? logsEndpoint)
    {
        var settings = build.Settings.ToJson();
        var json = new JsonObject
        {
            ["id"] = build.Id,
            ["arn"] = build.Arn,
            ["buildNumber"] = build.BuildNumber,
            ["startTime"] = Seconds(build.StartTime),
        };
        if (build.EndTime is { } end)
        {
            json["endTime"] = Seconds(end);
        }

        json["currentPhase"] = build.CurrentPhase;
        json["buildStatus"] = build.Status;
        if (build.SourceVersion is { } version)
        {
            json["sourceVersion"] = version;
        }

        if (build.ResolvedSourceVersion is { } resolved)
        {
            json["resolvedSourceVersion"] = resolved;
        }

        json["projectName"] = build.ProjectName;
        json["phases"] = new JsonArray(build.Phases.Select(p => (JsonNode)Phase(p)).ToArray());
        json["source"] = settings["source"]?.DeepClone();
        json["secondarySources"] = new JsonArray();
        json["secondarySourceVersions"] = new JsonArray();
        json["artifacts"] = new JsonObject { ["location"] = string.Empty };
        if (build.Pipeline is { } pipeline)
        {
            PipelineBuildJson.Apply(json, settings, pipeline);
        }

        json["cache"] = settings["cache"]?.DeepClone() ?? new JsonObject { ["type"] = "NO_CACHE" };
        json["environment"] = settings["environment"]?.DeepClone();
        json["serviceRole"] = build.Settings.ServiceRole;
        json["logs"] = Logs(build, logsEndpoint);
        json["timeoutInMinutes"] = build.Settings.TimeoutInMinutes;
        json["queuedTimeoutInMinutes"] = build.Settings.QueuedTimeoutInMinutes;
        json["buildComplete"] = build.IsComplete;
        json["initiator"] = build.Initiator;
        json["encryptionKey"] = build.Settings.EncryptionKey ?? DefaultEncryptionKey(build.Scope);
        if (build.ExportedVariables.Count > 0)
        {
            json["exportedEnvironmentVariables"] = new JsonArray(build.ExportedVariables
                .Select(v => (JsonNode)new JsonObject { ["name"] = v.Name, ["value"] = v.Value }).ToArray());
        }

        return json;
    }

    public static double Seconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static JsonObject Phase(BuildPhaseRecord phase)
    {
        var json = new JsonObject { ["phaseType"] = phase.PhaseType };
        if (phase.PhaseStatus is { } status)
        {
            json["phaseStatus"] = status;
        }

        json["startTime"] = Seconds(phase.StartTime);
        if (phase.EndTime is { } end)
        {
            json["endTime"] = Seconds(end);
            json["durationInSeconds"] = phase.DurationInSeconds;
        }

        if (phase.Contexts is { } contexts)
        {
            json["contexts"] = new JsonArray(contexts
                .Select(c => (JsonNode)new JsonObject { ["statusCode"] = c.StatusCode, ["message"] = c.Message }).ToArray());
        }

        return json;
    }

    /// <summary>CloudWatch Logs names; the deep link is Cairn's live log endpoint rather than a console page.</summary>
    private static JsonObject Logs(BuildRecord build, string? endpoint)
    {
        var json = new JsonObject
        {
            ["groupName"] = build.LogGroupName,
            ["streamName"] = build.LogStreamName,
        };
        if (endpoint is not null)
        {
            json["deepLink"] = $"{endpoint}/_cairn/builds/{Uri.EscapeDataString(build.Id)}/log";
        }

        json["cloudWatchLogsArn"] = build.Scope.LogStreamArn(build.LogGroupName, build.LogStreamName);
        json["cloudWatchLogs"] = new JsonObject { ["status"] = "ENABLED" };
        return json;
    }

    private static string DefaultEncryptionKey(BuildScope scope) => $"arn:aws:kms:{scope.Region}:{scope.AccountId}:alias/aws/s3";
}
