using Cairn.Application.Builds;
using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.Builds;

namespace Cairn.Server.Services.CodeBuild;

internal sealed partial class CodeBuildService
{
    private async Task<JsonObject> StartBuildAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.StartBuild);
        var build = await builds.StartBuildAsync(context, new StartBuildRequest(input["projectName"]!.GetValue<string>())
        {
            Overrides = input,
            IdempotencyToken = Text(input, "idempotencyToken"),
        }, cancellationToken);
        return new JsonObject { ["build"] = CodeBuildJson.Build(build, endpoint.Url) };
    }

    private async Task<JsonObject> RetryBuildAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.RetryBuild);
        var id = Text(input, "id") ?? throw AwsErrors.CodeBuildInvalidInput("Either id or idempotencyToken with a previous id must be provided.");
        var build = await builds.RetryBuildAsync(context, id, Text(input, "idempotencyToken"), cancellationToken);
        return new JsonObject { ["build"] = CodeBuildJson.Build(build, endpoint.Url) };
    }

    private async Task<JsonObject> BatchGetBuildsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.BatchGetBuilds);
        var found = new JsonArray();
        var notFound = new JsonArray();
        foreach (var id in input["ids"]!.AsArray().Select(n => n!.GetValue<string>()).Distinct(StringComparer.Ordinal))
        {
            if (await builds.FindBuildAsync(context, id, cancellationToken) is { } build)
            {
                var json = CodeBuildJson.Build(build, endpoint.Url);
                var reportArns = await reports.ReportArnsOfBuildAsync(build, cancellationToken);
                if (reportArns.Count > 0)
                {
                    json["reportArns"] = new JsonArray(reportArns.Select(arn => (JsonNode)arn).ToArray());
                }

                found.Add(json);
            }
            else
            {
                notFound.Add(id);
            }
        }

        return new JsonObject { ["builds"] = found, ["buildsNotFound"] = notFound };
    }

    private async Task<JsonObject> StopBuildAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.StopBuild);
        var stopped = await builds.StopBuildAsync(context, input["id"]!.GetValue<string>(), cancellationToken);
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
            var (projectName, uuid) = BuildIds.Parse(scope, id);
            await AuthorizeAsync(context, "BatchDeleteBuilds", scope.ProjectArn(projectName), cancellationToken);
            var existing = await store.GetBuildAsync(scope, uuid, cancellationToken);
            var outcome = existing is null || existing.ProjectName != projectName
                ? BuildDeletion.NotFound
                : await store.DeleteBuildAsync(scope, uuid, cancellationToken);
            switch (outcome)
            {
                case BuildDeletion.Deleted:
                    await logs.DeleteAsync(uuid, cancellationToken);
                    await buildFiles.DeleteAsync(uuid, cancellationToken);
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
