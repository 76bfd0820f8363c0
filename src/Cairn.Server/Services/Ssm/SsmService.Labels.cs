using Cairn.Server.Aws.Validation;
using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;

namespace Cairn.Server.Services.Ssm;

internal sealed partial class SsmService
{
    private async Task<JsonObject> LabelParameterVersionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SsmShapes.LabelParameterVersion);
        var scope = ScopeOf(context);
        var name = ParameterName.ParseForRead(input.RequiredString("Name"));
        var version = input.Long("ParameterVersion");
        await AuthorizeAsync(context, "ssm:LabelParameterVersion", scope.ArnFor(name.Key), cancellationToken);

        var outcome = await _repository.LabelAsync(scope, name.Key, version, input.Strings("Labels"), Now, cancellationToken);
        return outcome.Status switch
        {
            LabelStatus.ParameterNotFound => throw await ParameterNotFoundAsync(context, scope, name.Name, cancellationToken),
            LabelStatus.VersionNotFound => throw AwsErrors.ParameterVersionNotFound(outcome.Version.ToString(CultureInfo.InvariantCulture), name.Name),
            _ => new JsonObject { ["InvalidLabels"] = SsmJson.Strings(outcome.InvalidLabels), ["ParameterVersion"] = outcome.Version },
        };
    }

    private async Task<JsonObject> UnlabelParameterVersionAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SsmShapes.UnlabelParameterVersion);
        var scope = ScopeOf(context);
        var name = ParameterName.ParseForRead(input.RequiredString("Name"));
        var version = input.Long("ParameterVersion")!.Value;
        await AuthorizeAsync(context, "ssm:UnlabelParameterVersion", scope.ArnFor(name.Key), cancellationToken);

        var outcome = await _repository.UnlabelAsync(scope, name.Key, version, input.Strings("Labels"), Now, cancellationToken);
        return outcome.Status switch
        {
            LabelStatus.ParameterNotFound => throw await ParameterNotFoundAsync(context, scope, name.Name, cancellationToken),
            LabelStatus.VersionNotFound => throw AwsErrors.ParameterVersionNotFound(version.ToString(CultureInfo.InvariantCulture), name.Name),
            _ => new JsonObject { ["RemovedLabels"] = SsmJson.Strings(outcome.RemovedLabels), ["InvalidLabels"] = SsmJson.Strings(outcome.InvalidLabels) },
        };
    }
}
