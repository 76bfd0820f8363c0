using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Storage.Builds;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Builds;

/// <summary>What every IBuildStore must do; each backend runs this suite through a subclass.</summary>
public abstract class BuildStoreContractTests
{
    private static readonly BuildScope Scope = new("111122223333", "us-east-1");
    protected static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    protected abstract IBuildStore Store { get; }

    private static ProjectSettings Settings(int? limit = null)
    {
        var document = new JsonObject
        {
            ["name"] = "app",
            ["source"] = new JsonObject { ["type"] = "GITHUB", ["location"] = "file:///repo", ["buildspec"] = "ci/buildspec.yml" },
            ["artifacts"] = new JsonObject { ["type"] = "NO_ARTIFACTS" },
            ["environment"] = new JsonObject
            {
                ["type"] = "LINUX_EC2", ["image"] = "host", ["computeType"] = "BUILD_GENERAL1_SMALL", ["privilegedMode"] = true,
                ["environmentVariables"] = new JsonArray(new JsonObject { ["name"] = "A", ["value"] = "/p/a", ["type"] = "PARAMETER_STORE" }),
            },
            ["serviceRole"] = "arn:aws:iam::111122223333:role/r",
            ["vpcConfig"] = new JsonObject { ["vpcId"] = "vpc-1" },
        };
        if (limit is not null)
        {
            document["concurrentBuildLimit"] = limit;
        }

        return ProjectSettings.FromDocument(document);
    }

    private static BuildProject Project(string name = "app", BuildScope? scope = null) => new(scope ?? Scope, name, Settings(), Now, Now);

    protected static BuildRecord NewBuild(string project = "app", string? token = null, int? limit = null, BuildScope? scope = null) =>
        BuildRecord.Submit(scope ?? Scope, project, Guid.NewGuid().ToString("D"), Settings(limit), "main", "ci", token, token is null ? null : "digest", Now);

    [StoreFact]
    public async Task Builds_are_listed_newest_first_by_key_filtered_by_project_and_status_and_scoped_to_the_account()
    {
        var added = new List<BuildRecord>();
        for (var i = 0; i < 7; i++)
        {
            var build = (await Store.AddBuildAsync(NewBuild(i % 2 == 0 ? "app" : "web"), Now, CancellationToken.None)).Build;
            added.Add(i % 3 == 0 ? (await Store.UpdateBuildAsync(build.Uuid, b => b.Complete(BuildStatuses.Failed, Now), CancellationToken.None))! : build);
        }

        await Store.AddBuildAsync(NewBuild(scope: new BuildScope("999988887777", "us-east-1")), Now, CancellationToken.None);

        var seen = new List<string>();
        long? before = null;
        do
        {
            var page = await Store.ListBuildsAsync(Scope, new BuildListQuery(null, null, before, 3), CancellationToken.None);
            Assert.InRange(page.Builds.Count, 1, 3);
            seen.AddRange(page.Builds.Select(b => b.Id));
            before = page.NextBefore;
        }
        while (before is not null);

        Assert.Equal(added.Select(b => b.Id).Reverse(), seen);
        var apps = await Store.ListBuildsAsync(Scope, new BuildListQuery("app", null, null, 10), CancellationToken.None);
        Assert.Equal(added.Where(b => b.ProjectName == "app").Select(b => b.Id).Reverse(), apps.Builds.Select(b => b.Id));
        Assert.Null(apps.NextBefore);
        var failedApps = await Store.ListBuildsAsync(Scope, new BuildListQuery("app", BuildStatuses.Failed, null, 10), CancellationToken.None);
        Assert.Equal([added[6].Id, added[0].Id], failedApps.Builds.Select(b => b.Id));
        Assert.All(failedApps.Builds, b => Assert.Equal(BuildStatuses.Failed, b.Status));
        var running = await Store.ListBuildsAsync(Scope, new BuildListQuery(null, BuildStatuses.InProgress, null, 10), CancellationToken.None);
        Assert.Equal(4, running.Builds.Count);
    }

    [StoreFact]
    public async Task A_created_project_is_read_back_with_its_whole_document()
    {
        Assert.True(await Store.CreateProjectAsync(Project(), CancellationToken.None));

        var found = await Store.GetProjectAsync(Scope, "app", CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(Settings().Document, found.Settings.Document);
        Assert.Equal("file:///repo", found.Settings.Source.Location);
        Assert.Equal(EnvironmentVariable.ParameterStore, found.Settings.Environment.Variables[0].Type);
        Assert.True(found.Settings.Environment.PrivilegedMode);
        Assert.Equal(Now, found.Created);
    }

    [StoreFact]
    public async Task A_second_project_of_the_same_name_is_refused_but_another_region_may_have_one()
    {
        Assert.True(await Store.CreateProjectAsync(Project(), CancellationToken.None));

        Assert.False(await Store.CreateProjectAsync(Project(), CancellationToken.None));
        Assert.True(await Store.CreateProjectAsync(Project(scope: Scope with { Region = "eu-west-1" }), CancellationToken.None));
    }

    [StoreFact]
    public async Task Updating_and_deleting_a_missing_project_report_false()
    {
        Assert.False(await Store.UpdateProjectAsync(Project("nope"), CancellationToken.None));
        Assert.False(await Store.DeleteProjectAsync(Scope, "nope", CancellationToken.None));
    }

    [StoreFact]
    public async Task A_pipeline_build_keeps_its_artifacts_and_gets_its_outputs_locations_on_update()
    {
        var pipeline = new PipelineBuild("flask", [new PipelineArtifact("Source", "store", "flask/e1/Source/a.tar.gz"), new PipelineArtifact("Config", "store", "flask/e1/Config/b.tar.gz")],
            [new PipelineArtifact("BuildArtifact")], "store", "flask/e1");
        var added = await Store.AddBuildAsync(NewBuild() with { Pipeline = pipeline }, Now, CancellationToken.None);
        var plain = await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None);

        await Store.UpdateBuildAsync(added.Build.Uuid, b => b with { Pipeline = b.Pipeline! with { Outputs = [new PipelineArtifact("BuildArtifact", "store", "flask/e1/BuildArtifact/c.tar.gz")] } }, CancellationToken.None);
        var found = (await Store.FindBuildAsync(added.Build.Uuid, CancellationToken.None))!.Pipeline!;

        Assert.Equal("flask", found.PipelineName);
        Assert.Equal(pipeline.Inputs, found.Inputs);
        Assert.Equal("arn:aws:s3:::store/flask/e1/BuildArtifact/c.tar.gz", Assert.Single(found.Outputs).S3Arn);
        Assert.Null((await Store.FindBuildAsync(plain.Build.Uuid, CancellationToken.None))!.Pipeline);
    }

    [StoreFact]
    public async Task Builds_are_numbered_per_project_from_one()
    {
        await Store.CreateProjectAsync(Project(), CancellationToken.None);

        var first = await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None);
        var second = await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None);
        var other = await Store.AddBuildAsync(NewBuild("other"), Now, CancellationToken.None);

        Assert.Equal([1L, 2L, 1L], new[] { first.Build.BuildNumber, second.Build.BuildNumber, other.Build.BuildNumber });
    }

    [StoreFact]
    public async Task A_reused_idempotency_token_returns_the_first_build_and_stores_nothing()
    {
        var first = await Store.AddBuildAsync(NewBuild(token: "t1"), Now, CancellationToken.None);

        var again = await Store.AddBuildAsync(NewBuild(token: "t1"), Now, CancellationToken.None);
        var expired = await Store.AddBuildAsync(NewBuild(token: "t1"), Now.AddMilliseconds(1), CancellationToken.None);

        Assert.True(again.Existing);
        Assert.Equal(first.Build.Uuid, again.Build.Uuid);
        Assert.False(expired.Existing);
        Assert.Equal(2, (await Store.ListBuildIdsAsync(Scope, null, true, null, 10, CancellationToken.None)).Ids.Count);
    }

    [StoreFact]
    public async Task A_build_round_trips_its_phases_and_exported_variables()
    {
        var added = (await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None)).Build;
        var later = Now.AddSeconds(5);

        var updated = await Store.UpdateBuildAsync(added.Uuid, b => b.BeginPhase(BuildPhaseTypes.Provisioning, later, firstLogLine: 12) with
        {
            ExportedVariables = [new ExportedVariable("IMAGE", "app:1")],
        }, CancellationToken.None);
        var found = await Store.GetBuildAsync(Scope, added.Uuid, CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(updated!.Phases, found.Phases);
        Assert.Equal(BuildPhaseTypes.Provisioning, found.CurrentPhase);
        Assert.Equal([BuildPhaseTypes.Submitted, BuildPhaseTypes.Queued, BuildPhaseTypes.Provisioning], found.Phases.Select(p => p.PhaseType));
        Assert.Equal(5, found.Phases[1].DurationInSeconds);
        Assert.Equal(12, found.Phases[2].FirstLogLine); // where the phase's lines begin in the log, kept with the phase
        Assert.Equal(new ExportedVariable("IMAGE", "app:1"), Assert.Single(found.ExportedVariables));
        Assert.Null(await Store.GetBuildAsync(Scope with { AccountId = "999999999999" }, added.Uuid, CancellationToken.None));
    }

    [StoreFact]
    public async Task Build_ids_page_in_both_orders_and_per_project()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await Store.AddBuildAsync(NewBuild(i % 2 == 0 ? "app" : "other"), Now, CancellationToken.None)).Build.Id);
        }

        var first = await Store.ListBuildIdsAsync(Scope, null, false, null, 3, CancellationToken.None);
        var rest = await Store.ListBuildIdsAsync(Scope, null, false, first.NextAfter, 3, CancellationToken.None);
        var app = await Store.ListBuildIdsAsync(Scope, "app", true, null, 10, CancellationToken.None);

        Assert.Equal(ids.AsEnumerable().Reverse(), first.Ids.Concat(rest.Ids));
        Assert.Null(rest.NextAfter);
        Assert.Equal(new[] { ids[0], ids[2], ids[4] }, app.Ids);
    }

    [StoreFact]
    public async Task Claiming_takes_the_oldest_queued_build_once()
    {
        var first = (await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None)).Build;
        var second = (await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None)).Build;

        var claimed1 = await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "host/1/0", Now, CancellationToken.None);
        var claimed2 = await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "host/1/0", Now, CancellationToken.None);
        var none = await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "host/1/0", Now, CancellationToken.None);

        Assert.Equal(first.Uuid, claimed1!.Uuid);
        Assert.Equal(second.Uuid, claimed2!.Uuid);
        Assert.Null(none);
    }

    [StoreFact]
    public async Task Claiming_skips_builds_the_claimant_does_not_accept()
    {
        var skipped = (await Store.AddBuildAsync(NewBuild("gpu"), Now, CancellationToken.None)).Build;
        var taken = (await Store.AddBuildAsync(NewBuild("app"), Now, CancellationToken.None)).Build;

        var claimed = await Store.ClaimNextQueuedAsync(b => b.ProjectName != "gpu", b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "agent:a/lease", Now, CancellationToken.None);
        var none = await Store.ClaimNextQueuedAsync(b => b.ProjectName != "gpu", b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "agent:a/lease", Now, CancellationToken.None);

        Assert.Equal(taken.Uuid, claimed!.Uuid);
        Assert.Null(none);
        Assert.True((await Store.FindBuildAsync(skipped.Uuid, CancellationToken.None))!.IsQueued);
    }

    [StoreFact]
    public async Task A_claimed_build_changes_only_through_its_current_runner_and_never_once_complete()
    {
        var added = (await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None)).Build;
        await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "agent:a/lease-1", Now, CancellationToken.None);
        var later = Now.AddSeconds(5);

        var stale = await Store.UpdateClaimedBuildAsync(added.Uuid, "agent:a/lease-0", later, b => b.Complete(BuildStatuses.Succeeded, later), CancellationToken.None);
        var held = await Store.UpdateClaimedBuildAsync(added.Uuid, "agent:a/lease-1", later, b => null, CancellationToken.None);
        var completed = await Store.UpdateClaimedBuildAsync(added.Uuid, "agent:a/lease-1", later, b => b.Complete(BuildStatuses.Failed, later), CancellationToken.None);
        var afterwards = await Store.UpdateClaimedBuildAsync(added.Uuid, "agent:a/lease-1", later, b => b.Complete(BuildStatuses.Succeeded, later), CancellationToken.None);

        Assert.Null(stale);
        Assert.Equal(BuildPhaseTypes.Provisioning, held!.CurrentPhase);
        Assert.Equal(BuildStatuses.Failed, completed!.Status);
        Assert.Null(afterwards);
        Assert.Equal(BuildStatuses.Failed, (await Store.FindBuildAsync(added.Uuid, CancellationToken.None))!.Status);
    }

    [StoreFact]
    public async Task A_runners_update_records_when_it_was_last_seen()
    {
        var added = (await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None)).Build;
        await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "agent:a/lease-1", Now, CancellationToken.None);

        await Store.UpdateClaimedBuildAsync(added.Uuid, "agent:a/lease-1", Now.AddSeconds(30), b => null, CancellationToken.None);

        var running = Assert.Single(await Store.ListRunningAsync(CancellationToken.None), r => r.Build.Uuid == added.Uuid);
        Assert.Equal(Now.AddSeconds(30), running.RunnerSeenAt);
    }

    [StoreFact]
    public async Task A_build_added_as_claimed_is_numbered_runs_under_its_runner_and_is_never_claimed()
    {
        var queued = (await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None)).Build;

        var local = await Store.AddClaimedBuildAsync(NewBuild().BeginPhase(BuildPhaseTypes.Provisioning, Now), "host/7/0", Now, CancellationToken.None);
        var claimed = await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "host/1/0", Now, CancellationToken.None);
        var none = await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "host/1/0", Now, CancellationToken.None);

        Assert.Equal(queued.BuildNumber + 1, local.BuildNumber);
        Assert.Equal(queued.Uuid, claimed!.Uuid);
        Assert.Null(none);
        var running = Assert.Single(await Store.ListRunningAsync(CancellationToken.None), r => r.Build.Uuid == local.Uuid);
        Assert.Equal("host/7/0", running.Runner);
        Assert.Equal(BuildPhaseTypes.Provisioning, running.Build.CurrentPhase);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AddClaimedBuildAsync(NewBuild(), "host/7/0", Now, CancellationToken.None));
    }

    [StoreFact]
    public async Task Claiming_respects_the_projects_concurrent_build_limit()
    {
        var first = (await Store.AddBuildAsync(NewBuild(limit: 1), Now, CancellationToken.None)).Build;
        await Store.AddBuildAsync(NewBuild(limit: 1), Now, CancellationToken.None);
        var other = (await Store.AddBuildAsync(NewBuild("other", limit: 1), Now, CancellationToken.None)).Build;

        var claimed1 = await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "host/1/0", Now, CancellationToken.None);
        var claimed2 = await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "host/1/0", Now, CancellationToken.None);
        var blocked = await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "host/1/0", Now, CancellationToken.None);
        await Store.UpdateBuildAsync(first.Uuid, b => b.Complete(BuildStatuses.Succeeded, Now), CancellationToken.None);
        var freed = await Store.ClaimNextQueuedAsync(b => b.BeginPhase(BuildPhaseTypes.Provisioning, Now), "host/1/0", Now, CancellationToken.None);

        Assert.Equal(first.Uuid, claimed1!.Uuid);
        Assert.Equal(other.Uuid, claimed2!.Uuid);
        Assert.Null(blocked);
        Assert.NotNull(freed);
    }

    [StoreFact]
    public async Task Only_completed_builds_can_be_deleted()
    {
        var running = (await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None)).Build;
        var done = (await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None)).Build;
        await Store.UpdateBuildAsync(done.Uuid, b => b.Complete(BuildStatuses.Failed, Now), CancellationToken.None);

        Assert.Equal(BuildDeletion.NotComplete, await Store.DeleteBuildAsync(Scope, running.Uuid, CancellationToken.None));
        Assert.Equal(BuildDeletion.Deleted, await Store.DeleteBuildAsync(Scope, done.Uuid, CancellationToken.None));
        Assert.Equal(BuildDeletion.NotFound, await Store.DeleteBuildAsync(Scope, done.Uuid, CancellationToken.None));
        Assert.Equal(running.Uuid, Assert.Single(await Store.ListUnfinishedAsync(CancellationToken.None)).Uuid);
    }

    [StoreFact]
    public async Task An_update_that_returns_null_changes_nothing()
    {
        var build = (await Store.AddBuildAsync(NewBuild(), Now, CancellationToken.None)).Build;

        var result = await Store.UpdateBuildAsync(build.Uuid, _ => null, CancellationToken.None);
        var missing = await Store.UpdateBuildAsync(Guid.NewGuid().ToString(), b => b, CancellationToken.None);

        Assert.Equal(BuildPhaseTypes.Queued, result!.CurrentPhase);
        Assert.Null(missing);
    }
}
