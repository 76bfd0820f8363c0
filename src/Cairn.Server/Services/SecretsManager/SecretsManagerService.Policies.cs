using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Secrets;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.SecretsManager;

/// <summary>
/// Resource policies: stored with the secret and enforced by <see cref="Application.Secrets.SecretService.AuthorizeAsync"/>
/// (an explicit Deny refuses; an Allow naming the caller grants without an identity-based Allow).
/// </summary>
internal sealed partial class SecretsManagerService
{
    private async Task<JsonObject> GetResourcePolicyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.SecretIdOnly);
        var secret = await SecretAsync(context, input, "GetResourcePolicy", cancellationToken);
        var result = ArnAndName(secret);
        if (secret.ResourcePolicy is { } policy)
        {
            result["ResourcePolicy"] = policy;
        }

        return result;
    }

    private async Task<JsonObject> PutResourcePolicyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.PutResourcePolicy);
        var policy = input.RequiredString("ResourcePolicy");
        var secret = Writable(await SecretAsync(context, input, "PutResourcePolicy", cancellationToken));
        var parsed = SecretPolicy.Parse(policy);
        if (input.Bool("BlockPublicPolicy") && SecretPolicy.IsPublic(parsed))
        {
            throw AwsErrors.SecretPublicPolicy();
        }

        var updated = await ChangeAsync(context, secret, s => Writable(s) with { ResourcePolicy = policy }, cancellationToken);
        return ArnAndName(updated);
    }

    private async Task<JsonObject> DeleteResourcePolicyAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.SecretIdOnly);
        var secret = Writable(await SecretAsync(context, input, "DeleteResourcePolicy", cancellationToken));
        var updated = await ChangeAsync(context, secret, s => s with { ResourcePolicy = null }, cancellationToken);
        return ArnAndName(updated);
    }
}
