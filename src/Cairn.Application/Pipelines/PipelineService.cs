using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Application.Pipelines.Actions.Source;
using Cairn.Application.Pipelines.Artifacts;
using Cairn.Application.Pipelines.Executions;
using Cairn.Core.Pipelines;
using Cairn.Core.Pipelines.Conditions;
using Cairn.Core.Pipelines.Executions;
using Cairn.Storage.Pipelines;

namespace Cairn.Application.Pipelines;

/// <summary>
/// Pipeline definitions as an application service: create, read, update, delete, list and tag pipelines as a caller,
/// authorized as CodePipeline authorizes them (codepipeline:&lt;Action&gt; on the pipeline's ARN, iam:PassRole on the
/// pipeline's role for create and update). A declaration is normalized and its structure checked before anything is
/// stored, so bad input leaves nothing behind. CodePipeline's API is a thin adapter over it.
/// </summary>
/// <remarks>
/// With an engine, creating a pipeline starts its first execution (trigger CreatePipeline, as AWS does), deleting one
/// cancels and removes its executions, and updating one cancels the executions of earlier versions that wait for a
/// stage. With change detection, creating a pipeline records its sources' baseline first. With the artifact sweep,
/// deleting one removes its executions' artifacts once the pipeline is gone (a failure there is the sweep's to finish).
/// </remarks>
public sealed class PipelineService(
    IPipelineStore store, IAuthorizer authorizer, TimeProvider time, PipelineEngine? engine = null, SourceChangeDetector? sources = null,
    PipelineArtifactSweep? artifacts = null)
{
    /// <summary>The service principal pipelines run as, in trust policies and iam:PassedToService.</summary>
    public const string ServicePrincipal = "codepipeline.amazonaws.com";

    public async Task<PipelineRecord> CreateAsync(RequestContext context, JsonObject declaration, IReadOnlyList<PipelineTag> tags, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(context);
        var name = NameOf(declaration);
        await AuthorizeAsync(context, "CreatePipeline", scope.PipelineArn(name), cancellationToken);

        var normalized = CheckedDeclaration(declaration, scope);
        var checkedTags = PipelineTags.Merge([], tags);
        await authorizer.AuthorizePassRoleAsync(context, RoleOf(declaration), ServicePrincipal, scope.PipelineArn(name), cancellationToken);

        var now = time.GetUtcNow();
        var pipeline = new PipelineRecord(scope, name, normalized.ToJsonString(), 1, now, now, checkedTags);
        if (!await store.CreateAsync(pipeline, cancellationToken))
        {
            throw AwsErrors.PipelineNameInUse(name, scope.AccountId);
        }

        await StartFirstExecutionAsync(context, pipeline, cancellationToken);
        return pipeline;
    }

    /// <summary>
    /// AWS runs a new pipeline at once (whatever DetectChanges or its triggers say): the execution's trigger is
    /// CreatePipeline with the caller's ARN. Its watched sources are pinned to the heads recorded as change detection's
    /// baseline, so every push after this one is a change. A process that runs no pipelines records the baseline only.
    /// </summary>
    private async Task StartFirstExecutionAsync(RequestContext context, PipelineRecord pipeline, CancellationToken cancellationToken)
    {
        IReadOnlyList<SourceRevisionPin> pins = sources is null ? [] : await sources.RecordBaselineAsync(pipeline, cancellationToken);
        if (engine is { RunsPipelines: true })
        {
            await engine.StartAsync(pipeline, new ExecutionTriggerRecord("CreatePipeline", context.Principal.Arn, pins), new Dictionary<string, string>(), null, cancellationToken);
        }
    }

    /// <summary>The pipeline at <paramref name="version"/>, or its latest version when null.</summary>
    public async Task<PipelineRecord> GetAsync(RequestContext context, string name, int? version, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(context);
        await AuthorizeAsync(context, "GetPipeline", scope.PipelineArn(name), cancellationToken);
        var lookup = await store.GetAsync(scope, name, version, cancellationToken) ?? throw AwsErrors.PipelineNotFound(name, scope.AccountId);
        return lookup.Pipeline ?? throw AwsErrors.PipelineVersionNotFound(name, version ?? lookup.Latest, lookup.Latest);
    }

    /// <summary>Stores the declaration as the pipeline's next version (the declaration's own <c>version</c> is ignored, as AWS does).</summary>
    public async Task<PipelineRecord> UpdateAsync(RequestContext context, JsonObject declaration, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(context);
        var name = NameOf(declaration);
        await AuthorizeAsync(context, "UpdatePipeline", scope.PipelineArn(name), cancellationToken);

        var normalized = CheckedDeclaration(declaration, scope);
        if (await store.GetAsync(scope, name, null, cancellationToken) is null)
        {
            throw AwsErrors.PipelineNotFound(name, scope.AccountId);
        }

        await authorizer.AuthorizePassRoleAsync(context, RoleOf(declaration), ServicePrincipal, scope.PipelineArn(name), cancellationToken);
        var updated = await store.UpdateAsync(scope, name, normalized.ToJsonString(), time.GetUtcNow(), cancellationToken)
            ?? throw AwsErrors.PipelineNotFound(name, scope.AccountId);
        if (engine is not null)
        {
            await engine.PipelineUpdatedAsync(scope, name, cancellationToken);
        }

        return updated;
    }

    /// <summary>
    /// As in AWS, deleting a pipeline that does not exist succeeds. Unlike AWS (whose artifacts are in the user's own S3
    /// bucket), the executions' artifacts go too: Cairn's artifact store is out of the user's reach.
    /// </summary>
    public async Task DeleteAsync(RequestContext context, string name, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(context);
        await AuthorizeAsync(context, "DeletePipeline", scope.PipelineArn(name), cancellationToken);
        IReadOnlyList<string> executions = engine is null ? [] : await engine.DeletePipelineAsync(scope, name, cancellationToken);
        await store.DeleteAsync(scope, name, cancellationToken);
        if (artifacts is not null)
        {
            await artifacts.DeletePipelineArtifactsAsync(name, executions, cancellationToken);
        }
    }

    /// <summary>Latest versions in name order after <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<PipelineRecord>> ListAsync(RequestContext context, string? after, int limit, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, "ListPipelines", "*", cancellationToken);
        return await store.ListAsync(ScopeOf(context), after, limit, cancellationToken);
    }

    public async Task<IReadOnlyList<ActionTypeDefinition>> ListActionTypesAsync(RequestContext context, string? owner, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, "ListActionTypes", "*", cancellationToken);
        return ActionTypes.All.Where(t => owner is null || t.Owner == owner).ToList();
    }

    /// <summary>AWS's rule types for stage conditions (ListRuleTypes): all owned by AWS, the same in every region.</summary>
    public async Task<IReadOnlyList<RuleTypeDefinition>> ListRuleTypesAsync(RequestContext context, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(context, "ListRuleTypes", "*", cancellationToken);
        return RuleTypes.All;
    }

    public async Task<IReadOnlyList<PipelineTag>> ListTagsAsync(RequestContext context, string resourceArn, CancellationToken cancellationToken)
    {
        var (scope, name) = await AuthorizeResourceAsync(context, "ListTagsForResource", resourceArn, cancellationToken);
        var lookup = await store.GetAsync(scope, name, null, cancellationToken);
        return lookup?.Pipeline?.Tags ?? throw AwsErrors.PipelineResourceNotFound(resourceArn);
    }

    public async Task TagAsync(RequestContext context, string resourceArn, IReadOnlyList<PipelineTag> tags, CancellationToken cancellationToken)
    {
        var (scope, name) = await AuthorizeResourceAsync(context, "TagResource", resourceArn, cancellationToken);
        _ = await store.UpdateTagsAsync(scope, name, current => PipelineTags.Merge(current, tags), cancellationToken)
            ?? throw AwsErrors.PipelineResourceNotFound(resourceArn);
    }

    public async Task UntagAsync(RequestContext context, string resourceArn, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var (scope, name) = await AuthorizeResourceAsync(context, "UntagResource", resourceArn, cancellationToken);
        _ = await store.UpdateTagsAsync(scope, name, current => PipelineTags.Remove(current, keys), cancellationToken)
            ?? throw AwsErrors.PipelineResourceNotFound(resourceArn);
    }

    private static JsonObject CheckedDeclaration(JsonObject declaration, PipelineScope scope)
    {
        var normalized = PipelineDeclarations.Normalize(declaration);
        PipelineStructure.Check(normalized, scope.Region);
        return normalized;
    }

    private async Task<(PipelineScope Scope, string Name)> AuthorizeResourceAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken)
    {
        var scope = ScopeOf(context);
        await AuthorizeAsync(context, action, resourceArn, cancellationToken);
        return (scope, scope.PipelineName(resourceArn) ?? throw AwsErrors.InvalidPipelineArn(resourceArn));
    }

    private static PipelineScope ScopeOf(RequestContext context) => new(context.AccountId, context.Region);

    private static string NameOf(JsonObject declaration) => declaration["name"]!.GetValue<string>();

    private static string RoleOf(JsonObject declaration) => declaration["roleArn"]!.GetValue<string>();

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "codepipeline:" + action, resourceArn, cancellationToken);
}
