using Cairn.Server.Aws.Validation;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;

namespace Cairn.Server.Services.Ssm;

internal sealed partial class SsmService
{
    private async Task<JsonObject> AddTagsToResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SsmShapes.AddTagsToResource);
        var (scope, name) = TaggedParameter(input, context);
        await AuthorizeAsync(context, "ssm:AddTagsToResource", scope.ArnFor(name.Key), cancellationToken);
        if (!await _repository.AddTagsAsync(scope, name.Key, input.Tags("Tags"), Now, cancellationToken))
        {
            throw AwsErrors.InvalidResourceId("Parameter", name.Name);
        }

        return [];
    }

    private async Task<JsonObject> RemoveTagsFromResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SsmShapes.RemoveTagsFromResource);
        var (scope, name) = TaggedParameter(input, context);
        await AuthorizeAsync(context, "ssm:RemoveTagsFromResource", scope.ArnFor(name.Key), cancellationToken);
        if (!await _repository.RemoveTagsAsync(scope, name.Key, input.Strings("TagKeys"), Now, cancellationToken))
        {
            throw AwsErrors.InvalidResourceId("Parameter", name.Name);
        }

        return [];
    }

    private async Task<JsonObject> ListTagsForResourceAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SsmShapes.ListTagsForResource);
        var (scope, name) = TaggedParameter(input, context);
        await AuthorizeAsync(context, "ssm:ListTagsForResource", scope.ArnFor(name.Key), cancellationToken);
        var snapshot = await _repository.GetAsync(scope, name.Key, cancellationToken);
        if (snapshot is null || snapshot.IsExpired(Now))
        {
            throw AwsErrors.InvalidResourceId("Parameter", name.Name);
        }

        var tags = await _repository.GetTagsAsync(scope, name.Key, cancellationToken);
        var list = new JsonArray();
        foreach (var (key, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            list.Add(new JsonObject { ["Key"] = key, ["Value"] = value });
        }

        return new JsonObject { ["TagList"] = list };
    }

    /// <summary>Cairn tags only parameters: any other resource type names nothing that exists here.</summary>
    private static (ParameterScope Scope, ParameterName Name) TaggedParameter(JsonObject input, RequestContext context)
    {
        var type = input.RequiredString("ResourceType");
        if (!SsmShapes.TaggableResourceTypes.Contains(type, StringComparer.Ordinal))
        {
            throw AwsErrors.InvalidResourceType(type, SsmShapes.TaggableResourceTypes);
        }

        if (type != "Parameter")
        {
            throw AwsErrors.InvalidResourceId(type, input.RequiredString("ResourceId"));
        }

        var id = input.RequiredString("ResourceId").Trim(' ');
        if (!ParameterName.IsWellFormed(id))
        {
            throw AwsErrors.InvalidResourceId(type, id);
        }

        return (ScopeOf(context), new ParameterName(id, id.TrimStart('/')));
    }
}
