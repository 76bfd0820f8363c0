using System.Text.Json.Nodes;
using Cairn.Deploy.Kubernetes;

namespace Cairn.Server.Tests.CodePipeline.Deploy;

public sealed class RolloutStatusTests
{
    [Theory]
    [InlineData("""{"metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":1}}""", false, false, "waiting for the controller to observe the new spec")]
    [InlineData("""{"metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":4,"updatedReplicas":3,"availableReplicas":3}}""", false, false, "1 old replicas pending termination")]
    [InlineData("""{"metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":3,"updatedReplicas":3,"availableReplicas":2}}""", false, false, "2 of 3 updated replicas available")]
    [InlineData("""{"metadata":{"generation":2},"spec":{"replicas":3},"status":{"observedGeneration":2,"replicas":3,"updatedReplicas":3,"availableReplicas":3}}""", true, false, "3 of 3 replicas updated and available")]
    [InlineData("""{"metadata":{"generation":1},"spec":{},"status":{"observedGeneration":1,"conditions":[{"type":"Progressing","reason":"ProgressDeadlineExceeded","message":"stuck"}]}}""", false, true, "ProgressDeadlineExceeded: stuck")]
    public void A_Deployment_is_judged_as_kubectl_rollout_status_judges_it(string json, bool done, bool failed, string message) =>
        Assert.Equal(new RolloutStatus(done, failed, message), RolloutStatus.Of("Deployment", JsonNode.Parse(json)!.AsObject()));

    [Theory]
    [InlineData("""{"metadata":{"generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"readyReplicas":1}}""", false, "1 of 2 pods ready")]
    [InlineData("""{"metadata":{"generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"readyReplicas":2,"updatedReplicas":1,"currentRevision":"a","updateRevision":"b"}}""", false, "1 of 2 pods on the new revision")]
    [InlineData("""{"metadata":{"generation":1},"spec":{"replicas":2},"status":{"observedGeneration":1,"readyReplicas":2,"currentRevision":"b","updateRevision":"b"}}""", true, "2 of 2 pods ready on revision b")]
    [InlineData("""{"metadata":{"generation":1},"spec":{"replicas":2,"updateStrategy":{"type":"OnDelete"}},"status":{"observedGeneration":1}}""", true, "updateStrategy OnDelete: pods are replaced only when deleted, so there is no rollout to wait for")]
    public void A_StatefulSet_waits_for_ready_pods_on_the_update_revision(string json, bool done, string message) =>
        Assert.Equal(new RolloutStatus(done, false, message), RolloutStatus.Of("StatefulSet", JsonNode.Parse(json)!.AsObject()));

    [Theory]
    [InlineData("""{"metadata":{"generation":3},"status":{"observedGeneration":3,"desiredNumberScheduled":3,"updatedNumberScheduled":2,"numberAvailable":3}}""", false, "2 of 3 nodes updated")]
    [InlineData("""{"metadata":{"generation":3},"status":{"observedGeneration":3,"desiredNumberScheduled":3,"updatedNumberScheduled":3,"numberAvailable":3}}""", true, "3 of 3 nodes updated and available")]
    public void A_DaemonSet_waits_for_every_node(string json, bool done, string message) =>
        Assert.Equal(new RolloutStatus(done, false, message), RolloutStatus.Of("DaemonSet", JsonNode.Parse(json)!.AsObject()));
}
