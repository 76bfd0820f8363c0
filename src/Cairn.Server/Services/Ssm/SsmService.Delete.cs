using Cairn.Server.Aws.Validation;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;

namespace Cairn.Server.Services.Ssm;

internal sealed partial class SsmService
{
    private async Task<JsonObject> DeleteParameterAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SsmShapes.DeleteParameter);
        var scope = ScopeOf(context);
        var name = ParameterName.ParseForRead(input.RequiredString("Name"));
        await AuthorizeAsync(context, "ssm:DeleteParameter", scope.ArnFor(name.Key), cancellationToken);
        if (!await _repository.DeleteAsync(scope, name.Key, Now, cancellationToken))
        {
            throw await ParameterNotFoundAsync(context, scope, name.Name, cancellationToken);
        }

        return [];
    }

    private async Task<JsonObject> DeleteParametersAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        CheckNameCount(input);
        Validate(input, SsmShapes.DeleteParameters);
        var scope = ScopeOf(context);
        var names = input.Strings("Names").Distinct(StringComparer.Ordinal).ToList();
        var parsed = names.Select(ParameterName.ParseForRead).ToList();
        foreach (var name in parsed)
        {
            await AuthorizeAsync(context, "ssm:DeleteParameters", scope.ArnFor(name.Key), cancellationToken);
        }

        var deletedKeys = (await _repository.DeleteManyAsync(scope, parsed.Select(n => n.Key).ToList(), Now, cancellationToken))
            .ToHashSet(StringComparer.Ordinal);
        var deleted = new List<string>();
        var invalid = new List<string>();
        for (var i = 0; i < names.Count; i++)
        {
            // "foo" and "/foo" name one parameter: only the first spelling is reported deleted.
            (deletedKeys.Remove(parsed[i].Key) ? deleted : invalid).Add(names[i]);
        }

        return new JsonObject { ["DeletedParameters"] = SsmJson.Strings(deleted), ["InvalidParameters"] = SsmJson.Strings(invalid) };
    }
}
