using System.Text.Json.Nodes;
using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Storage.BuildLogs;
using Cairn.Storage.Builds;

namespace Cairn.Application.Builds;

/// <summary>
/// Builds as an application service: start, retry, stop and read builds as a caller (a <see cref="RequestContext"/>),
/// authorized as CodeBuild authorizes them (codebuild:&lt;Action&gt; on the project, iam:PassRole for a role,
/// cairn:RunPrivilegedBuild for privileged overrides). CodeBuild's API is a thin adapter over it; the pipeline engine
/// and the dashboard call it directly. Started builds are queued for the workers.
/// </summary>
public sealed class BuildService(IBuildStore store, IAuthorizer authorizer, BuildQueue queue, TimeProvider time, IBuildLogStore logs)
{
    /// <summary>The service principal builds run as, in trust policies and iam:PassedToService.</summary>
    public const string ServicePrincipal = "codebuild.amazonaws.com";

    /// <summary>Cairn's own action for configuring privileged mode, or changing what a privileged project runs.</summary>
    public const string PrivilegedBuildAction = "cairn:RunPrivilegedBuild";

    /// <summary>How long an idempotency token names the build it started (CodeBuild: 5 minutes).</summary>
    private static readonly TimeSpan IdempotencyWindow = TimeSpan.FromMinutes(5);

    /// <summary>How long StopBuild waits for a build running in this process to end before answering.</summary>
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(6);

    /// <summary>StartBuild members that change what a privileged build runs, so they need <see cref="PrivilegedBuildAction"/>.</summary>
    private static readonly string[] PrivilegedOverrides =
    [
        "privilegedModeOverride", "buildspecOverride", "sourceLocationOverride", "sourceTypeOverride", "imageOverride", "environmentTypeOverride",
    ];

    /// <summary>Queues a build of the project with the request's overrides; the same idempotency token within 5 minutes returns the same build.</summary>
    public async Task<BuildRecord> StartBuildAsync(RequestContext context, StartBuildRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var scope = ScopeOf(context);
        var name = request.ProjectName;
        await AuthorizeAsync(context, "StartBuild", scope.ProjectArn(name), cancellationToken);

        var project = await store.GetProjectAsync(scope, name, cancellationToken) ?? throw AwsErrors.ProjectNotFound(scope.ProjectArn(name));
        var overrides = request.Overrides;
        var document = BuildOverrides.Apply(project.Settings.ToJson(), overrides);
        var pipeline = request.Pipeline;
        if (pipeline is not null)
        {
            document = PipelineBuildDocuments.Apply(document, pipeline);
        }

        var settings = ProjectDocuments.Check(document, scope);
        if (overrides["serviceRoleOverride"] is not null)
        {
            await AuthorizePassRoleAsync(context, settings.ServiceRole, project.Arn, cancellationToken);
        }

        // A pipeline's inputs change what a privileged project runs, unless the project itself takes its source from a pipeline.
        var pipelineReplacesSource = pipeline is not null && project.Settings.Source.Type != SourceTypes.CodePipeline;
        if (settings.Environment.PrivilegedMode && (pipelineReplacesSource || PrivilegedOverrides.Any(member => overrides[member] is not null)))
        {
            await AuthorizePrivilegedAsync(context, project.Arn, cancellationToken);
        }

        var sourceVersion = pipeline?.Inputs[0].S3Arn ?? overrides["sourceVersion"]?.GetValue<string>() ?? project.Settings.SourceVersion;
        var digest = pipeline is null ? BuildOverrides.Digest(overrides)
            : BuildOverrides.Digest(new JsonObject { ["overrides"] = overrides.DeepClone(), ["pipeline"] = settings.Document });
        return await SubmitAsync(scope, name, settings, sourceVersion, context, request.IdempotencyToken, digest, cancellationToken, pipeline);
    }

    /// <summary>Runs the build again with the settings it ran with (its overrides included), as a new build.</summary>
    public async Task<BuildRecord> RetryBuildAsync(RequestContext context, string id, string? idempotencyToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = ScopeOf(context);
        var (projectName, uuid) = BuildIds.Parse(scope, id);
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

        var pipeline = original.Pipeline is { } ran ? ran with { Outputs = [.. ran.Outputs.Select(o => new PipelineArtifact(o.Name))] } : null;
        return await SubmitAsync(scope, projectName, original.Settings, original.SourceVersion, context, idempotencyToken, "retry:" + original.Id, cancellationToken, pipeline);
    }

    /// <summary>A build the caller may read (codebuild:BatchGetBuilds on its project), or null when there is none.</summary>
    public async Task<BuildRecord?> FindBuildAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = ScopeOf(context);
        var (projectName, uuid) = BuildIds.Parse(scope, id);
        await AuthorizeAsync(context, "BatchGetBuilds", scope.ProjectArn(projectName), cancellationToken);
        var build = await store.GetBuildAsync(scope, uuid, cancellationToken);
        return build is not null && build.ProjectName == projectName ? build : null;
    }

    /// <summary>The scope's projects (codebuild:ListProjects), each read only when the caller may (codebuild:BatchGetProjects on it).</summary>
    public async Task<ProjectListing> ListProjectsAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = ScopeOf(context);
        await AuthorizeAsync(context, "ListProjects", "*", cancellationToken);
        var readable = new List<BuildProject>();
        var denials = new List<AwsException>();
        foreach (var project in await store.ListProjectsAsync(scope, cancellationToken))
        {
            if (await TryAuthorizeAsync(context, "BatchGetProjects", project.Arn, denials, cancellationToken))
            {
                readable.Add(project);
            }
        }

        return new ProjectListing(readable, denials);
    }

    /// <summary>
    /// Builds newest first, paged by key: all of them (codebuild:ListBuilds) or one project's (codebuild:ListBuildsForProject);
    /// a build is shown only when the caller may read it (codebuild:BatchGetBuilds on its project), the others are named in the denials.
    /// </summary>
    public async Task<BuildListing> ListBuildsAsync(RequestContext context, BuildListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        var scope = ScopeOf(context);
        if (query.ProjectName is { } name)
        {
            await AuthorizeAsync(context, "ListBuildsForProject", scope.ProjectArn(name), cancellationToken);
            _ = await store.GetProjectAsync(scope, name, cancellationToken) ?? throw AwsErrors.ProjectNotFound(scope.ProjectArn(name));
        }
        else
        {
            await AuthorizeAsync(context, "ListBuilds", "*", cancellationToken);
        }

        var page = await store.ListBuildsAsync(scope, query, cancellationToken);
        var denials = new List<AwsException>();
        var allowed = new Dictionary<string, bool>(StringComparer.Ordinal);
        var builds = new List<BuildRecord>(page.Builds.Count);
        foreach (var build in page.Builds)
        {
            if (!allowed.TryGetValue(build.ProjectName, out var may))
            {
                may = await TryAuthorizeAsync(context, "BatchGetBuilds", scope.ProjectArn(build.ProjectName), denials, cancellationToken);
                allowed[build.ProjectName] = may;
            }

            if (may)
            {
                builds.Add(build);
            }
        }

        return new BuildListing(builds, page.NextBefore, denials);
    }

    /// <summary>A queued build stops at once; a running one is told to stop, and the answer waits briefly for it to be STOPPED.</summary>
    public async Task<BuildRecord> StopBuildAsync(RequestContext context, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = ScopeOf(context);
        var (projectName, uuid) = BuildIds.Parse(scope, id);
        await AuthorizeAsync(context, "StopBuild", scope.ProjectArn(projectName), cancellationToken);

        var existing = await store.GetBuildAsync(scope, uuid, cancellationToken);
        if (existing is null || existing.ProjectName != projectName)
        {
            throw AwsErrors.BuildNotFound(id);
        }

        var now = time.GetUtcNow();
        var stopped = await store.UpdateBuildAsync(uuid, build => build switch
        {
            { IsComplete: true } => null,
            { IsQueued: true } => build.Complete(BuildStatuses.Stopped, now, BuildStatuses.Stopped, [new PhaseContext("BUILD_STOPPED", "Build was stopped while queued.")]),
            _ => build with { StopRequested = true },
        }, cancellationToken) ?? throw AwsErrors.BuildNotFound(id);
        if (existing.IsQueued && stopped.IsComplete)
        {
            // Stopped before it ran: no writer will ever complete its log, so followers of it (the dashboard's live log) end now.
            await logs.CompleteAsync(uuid, cancellationToken);
        }

        // As on AWS, the answer shows the build stopped when it stops promptly: a build running here gets a few seconds
        // (its commands' SIGINT and SIGTERM grace) to end; one another server runs is marked, and that server stops it.
        if (!stopped.IsComplete && queue.Stop(uuid))
        {
            await queue.WaitForEndAsync(uuid, StopWait, cancellationToken);
            return await store.GetBuildAsync(scope, uuid, cancellationToken) ?? stopped;
        }

        return stopped;
    }

    /// <summary>
    /// iam:PassRole on the service role, as AWS checks it for every API that hands CodeBuild a role (CreateProject,
    /// UpdateProject and StartBuild with a role): without it, anyone who may create projects could run builds as any role.
    /// </summary>
    public Task AuthorizePassRoleAsync(RequestContext context, string roleArn, string projectArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizePassRoleAsync(context, roleArn, ServicePrincipal, projectArn, cancellationToken);

    /// <summary>Cairn's permission for privileged mode (the host's Docker engine: root on this host), beyond codebuild:*.</summary>
    public async Task AuthorizePrivilegedAsync(RequestContext context, string projectArn, CancellationToken cancellationToken)
    {
        try
        {
            await authorizer.AuthorizeAsync(context, PrivilegedBuildAction, projectArn, cancellationToken);
        }
        catch (AwsException denied) when (denied.IsAccessDenied)
        {
            throw AwsErrors.PrivilegedBuildDenied(denied.Message, projectArn);
        }
    }

    private static BuildScope ScopeOf(RequestContext context) => new(context.AccountId, context.Region);

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "codebuild:" + action, resourceArn, cancellationToken);

    /// <summary>Authorizes like <see cref="AuthorizeAsync"/>, but collects a denial instead of throwing it.</summary>
    private async Task<bool> TryAuthorizeAsync(RequestContext context, string action, string resourceArn, List<AwsException> denials, CancellationToken cancellationToken)
    {
        try
        {
            await AuthorizeAsync(context, action, resourceArn, cancellationToken);
            return true;
        }
        catch (AwsException denied) when (denied.IsAccessDenied)
        {
            denials.Add(denied);
            return false;
        }
    }

    private async Task<BuildRecord> SubmitAsync(
        BuildScope scope, string projectName, ProjectSettings settings, string? sourceVersion, RequestContext context,
        string? token, string digest, CancellationToken cancellationToken, PipelineBuild? pipeline = null)
    {
        var now = time.GetUtcNow();
        var candidate = BuildRecord.Submit(scope, projectName, Guid.NewGuid().ToString("D"), settings, sourceVersion,
            pipeline?.Initiator ?? BuildIds.InitiatorOf(context.Principal), token, token is null ? null : digest, now) with { Pipeline = pipeline };
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
}
