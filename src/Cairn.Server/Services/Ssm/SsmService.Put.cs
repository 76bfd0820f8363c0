using Cairn.Application.Parameters;
using Cairn.Server.Aws.Validation;
using System.Text.Json.Nodes;
using Cairn.Core.Identity;

namespace Cairn.Server.Services.Ssm;

internal sealed partial class SsmService
{
    /// <summary>The shape here; every other check, the authorization and the write in <see cref="ParameterService.PutParameterAsync"/>.</summary>
    private async Task<JsonObject> PutParameterAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SsmShapes.PutParameter);
        var written = await _parameters.PutParameterAsync(context, new PutParameterRequest(input.RequiredString("Name"), input.RequiredString("Value"))
        {
            Type = input.String("Type"),
            KeyId = input.String("KeyId"),
            Description = input.String("Description"),
            Overwrite = input.Bool("Overwrite"),
            AllowedPattern = input.String("AllowedPattern"),
            Tags = input.Tags("Tags"),
            Tier = input.String("Tier"),
            Policies = input.String("Policies"),
            DataType = input.String("DataType"),
        }, cancellationToken);
        return new JsonObject { ["Version"] = written.Version, ["Tier"] = written.Tier };
    }
}
