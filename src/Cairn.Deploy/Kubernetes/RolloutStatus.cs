using System.Text.Json.Nodes;

namespace Cairn.Deploy.Kubernetes;

/// <summary>
/// Where a workload's rollout stands, judged as <c>kubectl rollout status</c> judges it: the controller has seen the
/// new generation (observedGeneration), then every replica is updated and available (Deployment), ready and on the
/// update revision (StatefulSet), or updated and available on every node (DaemonSet). A Deployment whose Progressing
/// condition says ProgressDeadlineExceeded has failed.
/// </summary>
public sealed record RolloutStatus(bool Done, bool Failed, string Message)
{
    /// <summary>The kinds whose rollout a deploy waits for.</summary>
    public static bool IsWorkload(string kind) => kind is "Deployment" or "StatefulSet" or "DaemonSet";

    public static RolloutStatus Of(string kind, JsonObject workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var generation = Number(workload["metadata"]?["generation"]);
        var status = workload["status"] as JsonObject ?? [];
        var observed = Number(status["observedGeneration"]);
        if (observed < generation)
        {
            return Waiting("waiting for the controller to observe the new spec");
        }

        return kind switch
        {
            "Deployment" => OfDeployment(workload, status),
            "StatefulSet" => OfStatefulSet(workload, status),
            "DaemonSet" => OfDaemonSet(status),
            _ => new RolloutStatus(true, false, "not a workload"),
        };
    }

    private static RolloutStatus OfDeployment(JsonObject workload, JsonObject status)
    {
        var progressing = (status["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Text(c["type"]) == "Progressing");
        if (progressing is not null && Text(progressing["reason"]) == "ProgressDeadlineExceeded")
        {
            return new RolloutStatus(false, true, $"ProgressDeadlineExceeded: {Text(progressing["message"]) ?? "the rollout made no progress within progressDeadlineSeconds"}");
        }

        var wanted = workload["spec"]?["replicas"] is null ? 1 : Number(workload["spec"]!["replicas"]);
        var updated = Number(status["updatedReplicas"]);
        var replicas = Number(status["replicas"]);
        var available = Number(status["availableReplicas"]);
        if (updated < wanted)
        {
            return Waiting($"{updated} of {wanted} new replicas updated");
        }

        if (replicas > updated)
        {
            return Waiting($"{replicas - updated} old replicas pending termination");
        }

        return available < updated
            ? Waiting($"{available} of {updated} updated replicas available")
            : new RolloutStatus(true, false, $"{available} of {wanted} replicas updated and available");
    }

    private static RolloutStatus OfStatefulSet(JsonObject workload, JsonObject status)
    {
        var spec = workload["spec"] as JsonObject ?? [];
        if (Text(spec["updateStrategy"]?["type"]) is { } strategy && strategy != "RollingUpdate")
        {
            return new RolloutStatus(true, false, $"updateStrategy {strategy}: pods are replaced only when deleted, so there is no rollout to wait for");
        }

        var wanted = spec["replicas"] is null ? 1 : Number(spec["replicas"]);
        var ready = Number(status["readyReplicas"]);
        if (ready < wanted)
        {
            return Waiting($"{ready} of {wanted} pods ready");
        }

        var partition = Number(spec["updateStrategy"]?["rollingUpdate"]?["partition"]);
        if (partition > 0)
        {
            var updated = Number(status["updatedReplicas"]);
            return updated < wanted - partition
                ? Waiting($"{updated} of {wanted - partition} pods updated (partition {partition})")
                : new RolloutStatus(true, false, $"partitioned rollout: {updated} pods updated");
        }

        return Text(status["updateRevision"]) != Text(status["currentRevision"])
            ? Waiting($"{Number(status["updatedReplicas"])} of {wanted} pods on the new revision")
            : new RolloutStatus(true, false, $"{ready} of {wanted} pods ready on revision {Text(status["currentRevision"])}");
    }

    private static RolloutStatus OfDaemonSet(JsonObject status)
    {
        var desired = Number(status["desiredNumberScheduled"]);
        var updated = Number(status["updatedNumberScheduled"]);
        var available = Number(status["numberAvailable"]);
        if (updated < desired)
        {
            return Waiting($"{updated} of {desired} nodes updated");
        }

        return available < desired
            ? Waiting($"{available} of {desired} updated pods available")
            : new RolloutStatus(true, false, $"{available} of {desired} nodes updated and available");
    }

    private static RolloutStatus Waiting(string message) => new(false, false, message);

    private static long Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
