using Cairn.Application.Builds;
using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Server.Services.CodeBuild;

internal sealed partial class CodeBuildService
{
    private static readonly string[] UpdatableMembers =
    [
        "description", "source", "secondarySources", "sourceVersion", "secondarySourceVersions", "artifacts", "secondaryArtifacts",
        "cache", "environment", "serviceRole", "timeoutInMinutes", "queuedTimeoutInMinutes", "encryptionKey", "tags", "vpcConfig",
        "badgeEnabled", "logsConfig", "fileSystemLocations", "buildBatchConfig", "concurrentBuildLimit", "autoRetryLimit",
    ];

    private async Task<JsonObject> CreateProjectAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.CreateProject);
        var scope = ScopeOf(context);
        var name = input["name"]!.GetValue<string>();
        await AuthorizeAsync(context, "CreateProject", scope.ProjectArn(name), cancellationToken);

        var document = ProjectDocuments.ForCreate(input);
        var settings = ProjectDocuments.Check(document, scope);
        await builds.AuthorizePassRoleAsync(context, settings.ServiceRole, scope.ProjectArn(name), cancellationToken);
        if (settings.Environment.PrivilegedMode)
        {
            await builds.AuthorizePrivilegedAsync(context, scope.ProjectArn(name), cancellationToken);
        }

        var now = Now;
        var project = new BuildProject(scope, name, settings, now, now);
        if (!await store.CreateProjectAsync(project, cancellationToken))
        {
            throw AwsErrors.ProjectAlreadyExists(project.Arn);
        }

        return new JsonObject { ["project"] = CodeBuildJson.Project(project) };
    }

    private async Task<JsonObject> UpdateProjectAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.UpdateProject);
        var scope = ScopeOf(context);
        var name = input["name"]!.GetValue<string>();
        await AuthorizeAsync(context, "UpdateProject", scope.ProjectArn(name), cancellationToken);

        var existing = await store.GetProjectAsync(scope, name, cancellationToken) ?? throw AwsErrors.ProjectNotFound(scope.ProjectArn(name));
        var document = existing.Settings.ToJson();
        foreach (var member in UpdatableMembers)
        {
            if (input[member] is { } value)
            {
                document[member] = value.DeepClone();
            }
        }

        var updated = existing with { Settings = ProjectDocuments.Check(ProjectDocuments.WithDefaults(document), scope), LastModified = Now };
        if (input["serviceRole"] is not null)
        {
            await builds.AuthorizePassRoleAsync(context, updated.Settings.ServiceRole, existing.Arn, cancellationToken);
        }

        if (updated.Settings.Environment.PrivilegedMode && (input["environment"] is not null || input["source"] is not null))
        {
            await builds.AuthorizePrivilegedAsync(context, existing.Arn, cancellationToken);
        }

        if (!await store.UpdateProjectAsync(updated, cancellationToken))
        {
            throw AwsErrors.ProjectNotFound(existing.Arn);
        }

        return new JsonObject { ["project"] = CodeBuildJson.Project(updated) };
    }

    /// <summary>As in AWS, deleting a project that does not exist succeeds.</summary>
    private async Task<JsonObject> DeleteProjectAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.DeleteProject);
        var scope = ScopeOf(context);
        var name = BuildIds.ProjectName(scope, input["name"]!.GetValue<string>());
        await AuthorizeAsync(context, "DeleteProject", scope.ProjectArn(name), cancellationToken);
        await store.DeleteProjectAsync(scope, name, cancellationToken);
        return [];
    }

    private async Task<JsonObject> BatchGetProjectsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.BatchGetProjects);
        var scope = ScopeOf(context);
        var projects = new JsonArray();
        var notFound = new JsonArray();
        foreach (var requested in input["names"]!.AsArray().Select(n => n!.GetValue<string>()).Distinct(StringComparer.Ordinal))
        {
            var name = BuildIds.ProjectName(scope, requested);
            await AuthorizeAsync(context, "BatchGetProjects", scope.ProjectArn(name), cancellationToken);
            var project = await store.GetProjectAsync(scope, name, cancellationToken);
            if (project is null)
            {
                notFound.Add(requested);
            }
            else
            {
                projects.Add(CodeBuildJson.Project(project));
            }
        }

        return new JsonObject { ["projects"] = projects, ["projectsNotFound"] = notFound };
    }

    private async Task<JsonObject> ListProjectsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodeBuildShapes.ListProjects);
        var scope = ScopeOf(context);
        await AuthorizeAsync(context, "ListProjects", "*", cancellationToken);

        var projects = await store.ListProjectsAsync(scope, cancellationToken);
        IEnumerable<BuildProject> sorted = Text(input, "sortBy") switch
        {
            "CREATED_TIME" => projects.OrderBy(p => p.Created).ThenBy(p => p.Name, StringComparer.Ordinal),
            "LAST_MODIFIED_TIME" => projects.OrderBy(p => p.LastModified).ThenBy(p => p.Name, StringComparer.Ordinal),
            _ => projects.OrderBy(p => p.Name, StringComparer.Ordinal),
        };
        if (Text(input, "sortOrder") == "DESCENDING")
        {
            sorted = sorted.Reverse();
        }

        var offset = (int)(DecodeToken(Text(input, "nextToken")) ?? 0);
        var all = sorted.Select(p => p.Name).ToList();
        var page = all.Skip(offset).Take(PageSize).ToList();
        var result = new JsonObject { ["projects"] = new JsonArray(page.Select(n => (JsonNode)n).ToArray()) };
        if (offset + page.Count < all.Count)
        {
            result["nextToken"] = EncodeToken(offset + page.Count);
        }

        return result;
    }
}
