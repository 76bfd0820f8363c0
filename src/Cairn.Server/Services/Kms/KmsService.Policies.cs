using System.Text.Json.Nodes;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>GetKeyPolicy, PutKeyPolicy, ListKeyPolicies.</summary>
internal sealed partial class KmsService
{
    private async Task<JsonObject> GetKeyPolicyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.GetKeyPolicy);
        var policy = await keys.GetKeyPolicyAsync(context, input.RequiredString("KeyId"), input.String("PolicyName"), cancellationToken);
        return new JsonObject { ["Policy"] = policy, ["PolicyName"] = "default" };
    }

    private async Task<JsonObject> PutKeyPolicyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.PutKeyPolicy);
        await keys.PutKeyPolicyAsync(context, input.RequiredString("KeyId"), input.String("PolicyName"), input.RequiredString("Policy"),
            input.Bool("BypassPolicyLockoutSafetyCheck"), cancellationToken);
        return new JsonObject();
    }

    private async Task<JsonObject> ListKeyPoliciesAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.KeyPage);
        var names = await keys.ListKeyPoliciesAsync(context, input.RequiredString("KeyId"), cancellationToken);
        return new JsonObject { ["PolicyNames"] = new JsonArray(names.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()), ["Truncated"] = false };
    }
}
