using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;
using Cairn.Server.Aws.Validation;

namespace Cairn.Server.Services.Kms;

/// <summary>CreateAlias, ListAliases.</summary>
internal sealed partial class KmsService
{
    private async Task<JsonObject> CreateAliasAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.CreateAlias);
        var aliasName = input.RequiredString("AliasName");
        var targetKeyId = input.RequiredString("TargetKeyId");
        if (!aliasName.StartsWith("alias/", StringComparison.Ordinal))
        {
            throw AwsErrors.KmsAliasPrefixRequired();
        }

        if (aliasName.Contains(':', StringComparison.Ordinal))
        {
            throw AwsErrors.KmsAliasInvalidCharacters(aliasName);
        }

        if (aliasName.StartsWith(AwsManagedKeys.ReservedPrefix, StringComparison.Ordinal))
        {
            throw AwsErrors.KmsAliasReserved(aliasName);
        }

        if (aliasName.Length == "alias/".Length)
        {
            throw AwsErrors.KmsAliasEmpty(aliasName);
        }

        var scope = ScopeOf(context);
        var aliasArn = KeyArns.Alias(scope, aliasName);
        await authorizer.AuthorizeAsync(context, "kms:CreateAlias", aliasArn, cancellationToken);
        var key = await AuthorizedKeyAsync(context, targetKeyId, "kms:CreateAlias", allowAlias: false, cancellationToken);
        DenyAwsManaged(context, key, "kms:CreateAlias");

        var now = time.GetUtcNow();
        if (!await store.TryInsertAliasAsync(new AliasRecord(scope, aliasName, key.KeyId, now, now), cancellationToken))
        {
            throw AwsErrors.KmsAliasAlreadyExists(aliasArn);
        }

        return new JsonObject();
    }

    private async Task<JsonObject> ListAliasesAsync(JsonObject input, RequestContext context, CancellationToken cancellationToken)
    {
        InputValidator.Validate(input, KmsShapes.ListAliases);
        var keyId = input.String("KeyId");
        var limit = input.Int("Limit") ?? 50;
        var after = DecodeMarker(input.String("Marker"));
        await authorizer.AuthorizeAsync(context, "kms:ListAliases", "*", cancellationToken);

        var scope = ScopeOf(context);
        // AWS lists the AWS managed aliases in every account; Cairn makes alias/aws/ssm's key exist before listing.
        await keys.EnsureAwsManagedKeyAsync(scope, AwsManagedKeys.SsmAlias, cancellationToken);
        string? targetKeyId = null;
        if (keyId is not null)
        {
            targetKeyId = (await keys.ResolveAsync(scope, keyId, allowAlias: false, cancellationToken)).KeyId;
        }

        var found = await store.ListAliasesAsync(scope, targetKeyId, after, limit + 1, cancellationToken);
        var page = found.Take(limit).ToList();
        var items = new JsonArray();
        foreach (var alias in page)
        {
            items.Add(new JsonObject
            {
                ["AliasName"] = alias.AliasName,
                ["AliasArn"] = alias.Arn,
                ["TargetKeyId"] = alias.TargetKeyId,
                ["CreationDate"] = Timestamp(alias.CreatedAt),
                ["LastUpdatedDate"] = Timestamp(alias.UpdatedAt),
            });
        }

        return Page("Aliases", items, found.Count > limit ? EncodeMarker(page[^1].AliasName) : null);
    }
}
