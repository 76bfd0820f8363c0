using System.Text.Json.Nodes;
using Cairn.Application.Connections;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Pipelines;
using Cairn.Runner.Sources;
using Cairn.Storage.Connections;
using Cairn.Storage.Pipelines;

namespace Cairn.Application.Pipelines.Actions.Source;

/// <summary>
/// Change detection for CodeStarSourceConnection actions: one pass looks at every pipeline whose first stage has such an
/// action with DetectChanges not "false", lists the repository's refs (git ls-remote), compares them with what the last
/// pass saw (persisted per pipeline and action), and starts the pipeline as itself (<see cref="IPipelineExecutions.StartByTriggerAsync"/>)
/// with the source action pinned to the new commit. Without a V2 trigger for the action, a new commit on its BranchName
/// starts it (trigger Webhook); with one, the trigger's push filters decide (trigger WebhookV2). The first pass over an
/// action only records what is there. A pipeline is started at most once per changed ref, and a ref is recorded as seen
/// only after its start was accepted, so a failed start is tried again on the next pass.
/// </summary>
public sealed class SourceChangeDetector(
    IPipelineStore pipelines, ICodeConnectionStore store, ConnectionRepositories repositories, IPipelineExecutions executions)
{
    /// <summary>Recorded once an action has been looked at, so that an empty repository's first commit is a change.</summary>
    public const string PolledMarker = "cairn:polled";

    private const int PageSize = 100;

    /// <summary>
    /// One pass. With <paramref name="repository"/> (what a push hook names: a FullRepositoryId, a URL or a path), only the
    /// actions whose repository it names are looked at. Returns what happened, for the log.
    /// </summary>
    public async Task<IReadOnlyList<DetectionEvent>> PollAsync(string? repository, CancellationToken cancellationToken)
    {
        var events = new List<DetectionEvent>();
        foreach (var scope in await pipelines.ListScopesAsync(cancellationToken))
        {
            string? after = null;
            while (true)
            {
                var page = await pipelines.ListAsync(scope, after, PageSize, cancellationToken);
                foreach (var pipeline in page)
                {
                    await PollPipelineAsync(pipeline, repository, events, cancellationToken);
                }

                if (page.Count < PageSize)
                {
                    break;
                }

                after = page[^1].Name;
            }
        }

        return events;
    }

    private async Task PollPipelineAsync(PipelineRecord pipeline, string? repository, List<DetectionEvent> events, CancellationToken cancellationToken)
    {
        if (JsonNode.Parse(pipeline.Declaration) is not JsonObject declaration
            || declaration["stages"] is not JsonArray { Count: > 0 } stages
            || stages[0]?["actions"] is not JsonArray actions)
        {
            return;
        }

        foreach (var action in actions.OfType<JsonObject>())
        {
            var type = action["actionTypeId"];
            var configuration = action["configuration"] as JsonObject;
            if (type?["category"]?.GetValue<string>() != "Source" || type["owner"]?.GetValue<string>() != "AWS"
                || type["provider"]?.GetValue<string>() != CodeStarSourceActionRunner.Provider || configuration is null
                || string.Equals(Value(configuration, "DetectChanges"), "false", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var source = new WatchedSource(
                pipeline.Scope, pipeline.Name, action["name"]!.GetValue<string>(), Value(configuration, "ConnectionArn") ?? string.Empty,
                Value(configuration, "FullRepositoryId") ?? string.Empty, Value(configuration, "BranchName") ?? string.Empty);
            var filter = pipeline.PipelineType == "V2" ? GitTriggerFilter.For(declaration, source.ActionName, source.Branch) : null;
            await PollActionAsync(source, filter, repository, events, cancellationToken);
        }
    }

    private async Task PollActionAsync(WatchedSource source, GitTriggerFilter? filter, string? repository, List<DetectionEvent> events, CancellationToken cancellationToken)
    {
        var resolved = await repositories.ResolveAsync(source.ConnectionArn, source.Repository, cancellationToken);
        if (resolved.Url is not { } url)
        {
            events.Add(new DetectionEvent(source.PipelineName, source.ActionName, null, null, resolved.Failure));
            return;
        }

        if (repository is not null && !Names(repository, source.Repository, url))
        {
            return;
        }

        var remote = await GitRemote.ListRefsAsync(url, cancellationToken);
        if (remote.Error is not null)
        {
            events.Add(new DetectionEvent(source.PipelineName, source.ActionName, null, null, $"git ls-remote of {source.Repository} failed: {remote.Error}"));
            return;
        }

        var seen = await store.GetSeenRevisionsAsync(source.Scope, source.PipelineName, source.ActionName, cancellationToken);
        var watched = remote.Refs.Keys
            .Where(r => filter?.Watches(r) ?? r == "refs/heads/" + source.Branch)
            .OrderBy(r => r.StartsWith("refs/tags/", StringComparison.Ordinal))
            .ThenBy(r => r, StringComparer.Ordinal);
        if (seen.ContainsKey(PolledMarker))
        {
            foreach (var gitRef in watched.Where(r => seen.GetValueOrDefault(r) != remote.Refs[r]))
            {
                var commit = remote.Refs[gitRef];
                var previous = seen.GetValueOrDefault(gitRef);
                if (filter is not null)
                {
                    var files = filter.NeedsFiles(gitRef) ? await GitRemote.ChangedPathsAsync(url, previous, commit, cancellationToken) : null;
                    if (!filter.Starts(gitRef, files))
                    {
                        await RecordAsync(source, gitRef, commit, cancellationToken);
                        events.Add(new DetectionEvent(source.PipelineName, source.ActionName, gitRef, commit, null) { Filtered = true });
                        continue;
                    }
                }

                var trigger = new ExecutionTrigger(filter is null ? "Webhook" : "WebhookV2", source.ConnectionArn)
                {
                    SourceRevisions = new Dictionary<string, SourceRevisionRequest>(StringComparer.Ordinal)
                    {
                        [source.ActionName] = new SourceRevisionRequest("COMMIT_ID", commit),
                    },
                };
                var execution = await executions.StartByTriggerAsync(source.Scope, source.PipelineName, trigger, cancellationToken);
                await RecordAsync(source, gitRef, commit, cancellationToken);
                events.Add(new DetectionEvent(source.PipelineName, source.ActionName, gitRef, commit, null) { ExecutionId = execution });
            }
        }

        // Every ref, not only the watched ones: a branch or tag that appears later is then known to be new.
        var all = remote.Refs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        all[PolledMarker] = string.Empty;
        await store.SetSeenRevisionsAsync(source.Scope, source.PipelineName, source.ActionName, all, cancellationToken);
    }

    private Task RecordAsync(WatchedSource source, string gitRef, string commit, CancellationToken cancellationToken) =>
        store.SetSeenRevisionsAsync(source.Scope, source.PipelineName, source.ActionName, new Dictionary<string, string> { [gitRef] = commit }, cancellationToken);

    /// <summary>Whether what a hook named is this repository: its id (owner/name), its URL, or a path or URL that ends with the id.</summary>
    private static bool Names(string named, string fullRepositoryId, string url)
    {
        var hint = Normal(named);
        var id = Normal(fullRepositoryId);
        return hint.Length > 0 && (hint == id || hint == Normal(url) || hint.EndsWith("/" + id, StringComparison.Ordinal) || Normal(url).EndsWith("/" + hint, StringComparison.Ordinal));
    }

    private static string Normal(string text)
    {
        var trimmed = text.Trim().TrimEnd('/');
        trimmed = trimmed.EndsWith(".git", StringComparison.Ordinal) ? trimmed[..^4] : trimmed;
        return trimmed.StartsWith("file://", StringComparison.Ordinal) ? trimmed["file://".Length..] : trimmed;
    }

    private static string? Value(JsonObject configuration, string key) => configuration[key]?.GetValue<string>();

    private sealed record WatchedSource(PipelineScope Scope, string PipelineName, string ActionName, string ConnectionArn, string Repository, string Branch);
}

/// <summary>
/// What a pass did for one source action: started an execution for a ref's new commit (<see cref="ExecutionId"/>, null
/// when the pipeline no longer exists), left a change out because no trigger filter matched (<see cref="Filtered"/>), or
/// could not look (<see cref="Problem"/>, which says why).
/// </summary>
public sealed record DetectionEvent(string PipelineName, string ActionName, string? Ref, string? Commit, string? Problem)
{
    public string? ExecutionId { get; init; }

    public bool Filtered { get; init; }
}
