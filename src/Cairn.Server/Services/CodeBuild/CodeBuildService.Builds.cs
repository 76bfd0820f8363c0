using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.Builds;

namespace Cairn.Server.Services.CodeBuild;

internal sealed partial class CodeBuildService
{
    /// <summary>How long an idempotency token names the build it started (CodeBuild: 5 minutes).</summary>
    private static readonly TimeSpan IdempotencyWindow = TimeSpan.FromMinutes(5);

    private async Task<JsonObject> StartBuildAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.StartBuild);
        var scope = ScopeOf(context);
        var name = input["projectName"]!.GetValue<string>();
        await AuthorizeAsync(context, "StartBuild", scope.ProjectArn(name), cancellationToken);

        var project = await store.GetProjectAsync(scope, name, cancellationToken) ?? throw AwsErrors.ProjectNotFound(scope.ProjectArn(name));
        var document = BuildOverrides.Apply(project.Settings.ToJson(), input);
        var settings = ProjectDocuments.Check(document, scope);
        if (input["serviceRoleOverride"] is not null)
        {
            await AuthorizePassRoleAsync(context, settings.ServiceRole, project.Arn, cancellationToken);
        }

        if (settings.Environment.PrivilegedMode && PrivilegedOverrides.Any(member => input[member] is not null))
        {
            await AuthorizePrivilegedAsync(context, project.Arn, cancellationToken);
        }

        var sourceVersion = Text(input, "sourceVersion") ?? project.Settings.SourceVersion;
        var build = await SubmitAsync(scope, name, settings, sourceVersion, context, Text(input, "idempotencyToken"), BuildOverrides.Digest(input), cancellationToken);
        return new JsonObject { ["build"] = CodeBuildJson.Build(build, endpoint.Url) };
    }

    /// <summary>Runs the build again with the settings it ran with (its overrides included), as a new build.</summary>
    private async Task<JsonObject> RetryBuildAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.RetryBuild);
        var scope = ScopeOf(context);
        var id = Text(input, "id") ?? throw AwsErrors.CodeBuildInvalidInput("Either id or idempotencyToken with a previous id must be provided.");
        var (projectName, uuid) = ParseBuildId(scope, id);
        await AuthorizeAsync(context, "RetryBuild", scope.ProjectArn(projectName), cancellationToken);

        var original = await store.GetBuildAsync(scope, uuid, cancellationToken);
        if (original is null || original.ProjectName != projectName)
        {
            throw AwsErrors.BuildNotFound(id);
        }

        if (await store.GetProjectAsync(scope, projectName, cancellationToken) is null)
        {
            throw AwsErrors.ProjectNotFound(scope.ProjectArn(projectName));
        }

        var build = await SubmitAsync(scope, projectName, original.Settings, original.SourceVersion, context,
            Text(input, "idempotencyToken"), "retry:" + original.Id, cancellationToken);
        return new JsonObject { ["build"] = CodeBuildJson.Build(build, endpoint.Url) };
    }

    private async Task<BuildRecord> SubmitAsync(
        BuildScope scope, string projectName, ProjectSettings settings, string? sourceVersion, RequestContext context,
        string? token, string digest, CancellationToken cancellationToken)
    {
        var now = Now;
        var candidate = BuildRecord.Submit(scope, projectName, Guid.NewGuid().ToString("D"), settings, sourceVersion,
            InitiatorOf(context.Principal), token, token is null ? null : digest, now);
        var added = await store.AddBuildAsync(candidate, now - IdempotencyWindow, cancellationToken);
        if (added.Existing)
        {
            return added.Build.RequestDigest == digest && added.Build.ProjectName == projectName
                ? added.Build
                : throw AwsErrors.IdempotencyMismatch();
        }

        queue.Notify();
        return added.Build;
    }

    private async Task<JsonObject> BatchGetBuildsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.BatchGetBuilds);
        var scope = ScopeOf(context);
        var builds = new JsonArray();
        var notFound = new JsonArray();
        foreach (var id in input["ids"]!.AsArray().Select(n => n!.GetValue<string>()).Distinct(StringComparer.Ordinal))
        {
            var (projectName, uuid) = ParseBuildId(scope, id);
            await AuthorizeAsync(context, "BatchGetBuilds", scope.ProjectArn(projectName), cancellationToken);
            var build = await store.GetBuildAsync(scope, uuid, cancellationToken);
            if (build is null || build.ProjectName != projectName)
            {
                notFound.Add(id);
            }
            else
            {
                builds.Add(CodeBuildJson.Build(build, endpoint.Url));
            }
        }

        return new JsonObject { ["builds"] = builds, ["buildsNotFound"] = notFound };
    }

    /// <summary>A queued build stops at once; a running one is told to stop and is STOPPED once its commands are gone.</summary>
    private async Task<JsonObject> StopBuildAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.StopBuild);
        var scope = ScopeOf(context);
        var id = input["id"]!.GetValue<string>();
        var (projectName, uuid) = ParseBuildId(scope, id);
        await AuthorizeAsync(context, "StopBuild", scope.ProjectArn(projectName), cancellationToken);

        var existing = await store.GetBuildAsync(scope, uuid, cancellationToken);
        if (existing is null || existing.ProjectName != projectName)
        {
            throw AwsErrors.BuildNotFound(id);
        }

        var now = Now;
        var stopped = await store.UpdateBuildAsync(uuid, build => build switch
        {
            { IsComplete: true } => null,
            { IsQueued: true } => build.Complete(BuildStatuses.Stopped, now, BuildStatuses.Stopped, [new PhaseContext("BUILD_STOPPED", "Build was stopped while queued.")]),
            _ => build with { StopRequested = true },
        }, cancellationToken) ?? throw AwsErrors.BuildNotFound(id);
        if (!stopped.IsComplete)
        {
            queue.Stop(uuid);
        }

        return new JsonObject { ["build"] = CodeBuildJson.Build(stopped, endpoint.Url) };
    }

    private async Task<JsonObject> ListBuildsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.ListBuilds);
        await AuthorizeAsync(context, "ListBuilds", "*", cancellationToken);
        return await ListIdsAsync(ScopeOf(context), null, input, cancellationToken);
    }

    private async Task<JsonObject> ListBuildsForProjectAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.ListBuildsForProject);
        var scope = ScopeOf(context);
        var name = input["projectName"]!.GetValue<string>();
        await AuthorizeAsync(context, "ListBuildsForProject", scope.ProjectArn(name), cancellationToken);
        if (await store.GetProjectAsync(scope, name, cancellationToken) is null)
        {
            throw AwsErrors.ProjectNotFound(scope.ProjectArn(name));
        }

        return await ListIdsAsync(scope, name, input, cancellationToken);
    }

    /// <summary>Newest first unless sortOrder is ASCENDING, as CodeBuild lists them.</summary>
    private async Task<JsonObject> ListIdsAsync(BuildScope scope, string? projectName, JsonObject input, CancellationToken cancellationToken)
    {
        var ascending = Text(input, "sortOrder") == "ASCENDING";
        var page = await store.ListBuildIdsAsync(scope, projectName, ascending, DecodeToken(Text(input, "nextToken")), PageSize, cancellationToken);
        var result = new JsonObject { ["ids"] = new JsonArray(page.Ids.Select(i => (JsonNode)i).ToArray()) };
        if (page.NextAfter is { } next)
        {
            result["nextToken"] = EncodeToken(next);
        }

        return result;
    }

    private async Task<JsonObject> BatchDeleteBuildsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.BatchDeleteBuilds);
        var scope = ScopeOf(context);
        var deleted = new JsonArray();
        var notDeleted = new JsonArray();
        foreach (var id in input["ids"]!.AsArray().Select(n => n!.GetValue<string>()).Distinct(StringComparer.Ordinal))
        {
            var (projectName, uuid) = ParseBuildId(scope, id);
            await AuthorizeAsync(context, "BatchDeleteBuilds", scope.ProjectArn(projectName), cancellationToken);
            var existing = await store.GetBuildAsync(scope, uuid, cancellationToken);
            var outcome = existing is null || existing.ProjectName != projectName
                ? BuildDeletion.NotFound
                : await store.DeleteBuildAsync(scope, uuid, cancellationToken);
            switch (outcome)
            {
                case BuildDeletion.Deleted:
                    await logs.DeleteAsync(uuid, cancellationToken);
                    workspaces.Delete(uuid);
                    deleted.Add(id);
                    break;
                case BuildDeletion.NotComplete:
                    // verify: CodeBuild's status code for a build that is still running.
                    notDeleted.Add(new JsonObject { ["id"] = id, ["statusCode"] = "BUILD_IN_PROGRESS" });
                    break;
                default:
                    notDeleted.Add(new JsonObject { ["id"] = id, ["statusCode"] = "BUILD_NOT_FOUND" });
                    break;
            }
        }

        return new JsonObject { ["buildsDeleted"] = deleted, ["buildsNotDeleted"] = notDeleted };
    }
}
