using System.Text.Json.Nodes;
using Cairn.Core.Identity;

namespace Cairn.Server.Services.CodePipeline;

internal sealed partial class CodePipelineService
{
    private async Task<JsonObject> CreatePipelineAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.CreatePipeline);
        var tags = CodePipelineJson.ReadTags(input["tags"]);
        var created = await pipelines.CreateAsync(context, input["pipeline"]!.AsObject(), tags, cancellationToken);
        LogLintWarnings("CreatePipeline", created);
        var result = new JsonObject { ["pipeline"] = created.ToDeclaration() };
        if (created.Tags.Count > 0)
        {
            result["tags"] = CodePipelineJson.Tags(created.Tags);
        }

        return result;
    }

    private async Task<JsonObject> GetPipelineAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.GetPipeline);
        var pipeline = await pipelines.GetAsync(context, Text(input, "name")!, Number(input, "version"), cancellationToken);
        return new JsonObject { ["pipeline"] = pipeline.ToDeclaration(), ["metadata"] = CodePipelineJson.Metadata(pipeline) };
    }

    private async Task<JsonObject> UpdatePipelineAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.UpdatePipeline);
        var updated = await pipelines.UpdateAsync(context, input["pipeline"]!.AsObject(), cancellationToken);
        LogLintWarnings("UpdatePipeline", updated);
        return new JsonObject { ["pipeline"] = updated.ToDeclaration() };
    }

    private async Task<JsonObject> DeletePipelineAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.DeletePipeline);
        await pipelines.DeleteAsync(context, Text(input, "name")!, cancellationToken);
        return [];
    }

    private async Task<JsonObject> ListPipelinesAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, CodePipelineShapes.ListPipelines);
        var limit = Number(input, "maxResults") ?? DefaultPageSize;
        var after = DecodeToken(Text(input, "nextToken"));
        var page = await pipelines.ListAsync(context, after, limit + 1, cancellationToken);
        var shown = page.Take(limit).ToList();
        var result = new JsonObject { ["pipelines"] = new JsonArray(shown.Select(p => (JsonNode)CodePipelineJson.Summary(p)).ToArray()) };
        if (page.Count > limit)
        {
            result["nextToken"] = EncodeToken(shown[^1].Name);
        }

        return result;
    }
}
