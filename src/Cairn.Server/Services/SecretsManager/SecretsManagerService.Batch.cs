using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.SecretsManager;

/// <summary>
/// BatchGetSecretValue: the call needs secretsmanager:BatchGetSecretValue on * (and ListSecrets with Filters); each secret
/// is then read through <see cref="Cairn.Application.Secrets.SecretService.GetSecretValueAsync"/>, authorized on its own,
/// and a secret that cannot be read is an entry of Errors (its code and message) instead of failing the call.
/// </summary>
internal sealed partial class SecretsManagerService
{
    private const int DefaultBatchSize = 20;

    private async Task<JsonObject> BatchGetSecretValueAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.BatchGetSecretValue);
        var ids = input["SecretIdList"] is null ? null : input.Strings("SecretIdList");
        var hasFilters = input["Filters"] is not null;
        if ((ids is null) == !hasFilters)
        {
            throw AwsErrors.SecretInvalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both: list up to 20 secrets by name or ARN, or give filters as ListSecrets takes them.");
        }

        if (ids is not null && (input["MaxResults"] is not null || input["NextToken"] is not null))
        {
            throw AwsErrors.SecretInvalidParameter("'MaxResults' and 'NextToken' can only be used with 'Filters'; a SecretIdList is read whole (at most 20 secrets).");
        }

        await authorizer.AuthorizeAsync(context, "secretsmanager:BatchGetSecretValue", "*", cancellationToken);
        var result = new JsonObject();
        if (ids is null)
        {
            await authorizer.AuthorizeAsync(context, "secretsmanager:ListSecrets", "*", cancellationToken);
            await store.PurgeDueAsync(Now, cancellationToken);
            var filters = input.Objects("Filters").Select(f => (Key: f.String("Key") ?? string.Empty, Values: f.Strings("Values"))).ToList();
            var matching = (await store.ListAsync(context.AccountId, context.Region, cancellationToken))
                .Where(s => s.DeletedDate is null && filters.All(f => Matches(s, f.Key, f.Values)))
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .ToList();
            var offset = ParsePageToken(input.String("NextToken"));
            var size = input.Int("MaxResults") ?? DefaultBatchSize;
            ids = matching.Skip(offset).Take(size).Select(s => s.Arn).ToList();
            if (offset + size < matching.Count)
            {
                result["NextToken"] = PageToken(offset + size);
            }
        }

        var values = new JsonArray();
        var errors = new JsonArray();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            try
            {
                values.Add(SecretsManagerJson.SecretValue(await secrets.GetSecretValueAsync(context, id, null, null, cancellationToken)));
            }
            catch (AwsException error)
            {
                errors.Add(new JsonObject { ["SecretId"] = id, ["ErrorCode"] = error.Code, ["Message"] = error.Message });
            }
        }

        result["SecretValues"] = values;
        result["Errors"] = errors;
        return result;
    }
}
