using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Server.Aws.Validation;
using Cairn.Storage.Secrets;

namespace Cairn.Server.Services.SecretsManager;

/// <summary>DescribeSecret (also of a secret scheduled for deletion: that is how its DeletedDate is seen) and ListSecrets.</summary>
internal sealed partial class SecretsManagerService
{
    private async Task<JsonObject> DescribeSecretAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.SecretIdOnly);
        var secret = await SecretAsync(context, input, "DescribeSecret", cancellationToken);
        var json = SecretsManagerJson.Secret(secret, "VersionIdsToStages");
        if (secret.Replicas.Count > 0)
        {
            json["ReplicationStatus"] = await ReplicationStatusAsync(secret, null, cancellationToken);
        }

        return json;
    }

    private async Task<JsonObject> ListSecretsAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        Validate(input, SecretsManagerShapes.ListSecrets);
        await authorizer.AuthorizeAsync(context, "secretsmanager:ListSecrets", "*", cancellationToken);
        await store.PurgeDueAsync(Now, cancellationToken);
        var filters = input.Objects("Filters").Select(f => (Key: f.String("Key") ?? string.Empty, Values: f.Strings("Values"))).ToList();
        foreach (var (key, _) in filters)
        {
            if (key.Length == 0)
            {
                throw AwsErrors.SecretListFilter(key);
            }
        }

        var listed = (await store.ListAsync(context.AccountId, context.Region, cancellationToken))
            .Where(s => s.DeletedDate is null || input.Bool("IncludePlannedDeletion"))
            .Where(s => filters.All(f => Matches(s, f.Key, f.Values)));
        var sortBy = input.String("SortBy") ?? "created-date";
        Func<SecretRecord, IComparable?> sortKey = sortBy switch
        {
            "name" => s => s.Name,
            "last-accessed-date" => s => s.LastAccessed,
            "last-changed-date" => s => s.LastChanged,
            _ => s => s.Created,
        };
        var sorted = (input.String("SortOrder") == "asc" ? listed.OrderBy(sortKey) : listed.OrderByDescending(sortKey)).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();

        var offset = ParsePageToken(input.String("NextToken"));
        var size = input.Int("MaxResults") ?? DefaultPageSize;
        var page = sorted.Skip(offset).Take(size).Select(s => (JsonNode?)SecretsManagerJson.Secret(s, "SecretVersionsToStages")).ToArray();
        var result = new JsonObject { ["SecretList"] = new JsonArray(page) };
        if (offset + size < sorted.Count)
        {
            result["NextToken"] = PageToken(offset + size);
        }

        return result;
    }

    /// <summary>
    /// One ListSecrets filter: any of its values matches as a prefix (a value starting with ! excludes what it matches);
    /// "all" looks at the name, description, tag keys and tag values.
    /// </summary>
    private static bool Matches(SecretRecord secret, string key, IReadOnlyList<string> values)
    {
        IEnumerable<string> fields = key switch
        {
            "name" => [secret.Name],
            "description" => secret.Description is null ? [] : [secret.Description],
            "tag-key" => secret.Tags.Select(t => t.Key),
            "tag-value" => secret.Tags.Select(t => t.Value),
            "primary-region" => [secret.PrimaryRegion ?? secret.Region],
            "owning-service" => [],
            _ => [secret.Name, .. secret.Description is null ? Array.Empty<string>() : [secret.Description], .. secret.Tags.Select(t => t.Key), .. secret.Tags.Select(t => t.Value)],
        };
        var list = fields.ToList();
        var positive = values.Where(v => !v.StartsWith('!')).ToList();
        var negative = values.Where(v => v.StartsWith('!')).Select(v => v[1..]).ToList();
        if (negative.Any(n => list.Any(f => f.StartsWith(n, StringComparison.Ordinal))))
        {
            return false;
        }

        return positive.Count == 0 || positive.Any(p => list.Any(f => f.StartsWith(p, StringComparison.Ordinal)));
    }
}
