using System.Text.Json.Nodes;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;
using Cairn.Server.Aws;
using Cairn.Storage.Keys;

namespace Cairn.Server.Services.Kms;

/// <summary>
/// The KMS API (JSON 1.1, <c>X-Amz-Target: TrentService.*</c>): keys, aliases, and symmetric Encrypt, Decrypt and
/// GenerateDataKey. Keys are regional: the scope is the account and the region of the request's SigV4 scope.
/// Operations live in partial files by family: keys, aliases, cryptography.
/// </summary>
internal sealed partial class KmsService(KeyService keys, IKeyStore store, IAuthorizer authorizer, TimeProvider time) : IJsonService
{
    private const string SymmetricDefault = "SYMMETRIC_DEFAULT";

    public string TargetPrefix => "TrentService";

    public string SigningName => "kms";

    public IReadOnlyCollection<string> Operations { get; } = ["CreateKey", "DescribeKey", "ListKeys", "EnableKey", "DisableKey", "CreateAlias", "ListAliases", "Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext"];

    public Task<JsonObject> InvokeAsync(string operation, JsonObject input, RequestContext context, CancellationToken cancellationToken) =>
        operation switch
        {
            "CreateKey" => CreateKeyAsync(input, context, cancellationToken),
            "DescribeKey" => DescribeKeyAsync(input, context, cancellationToken),
            "ListKeys" => ListKeysAsync(input, context, cancellationToken),
            "EnableKey" => SetEnabledAsync(input, context, enabled: true, cancellationToken),
            "DisableKey" => SetEnabledAsync(input, context, enabled: false, cancellationToken),
            "CreateAlias" => CreateAliasAsync(input, context, cancellationToken),
            "ListAliases" => ListAliasesAsync(input, context, cancellationToken),
            "Encrypt" => EncryptAsync(input, context, cancellationToken),
            "Decrypt" => DecryptAsync(input, context, cancellationToken),
            "GenerateDataKey" => GenerateDataKeyAsync(input, context, withPlaintext: true, cancellationToken),
            "GenerateDataKeyWithoutPlaintext" => GenerateDataKeyAsync(input, context, withPlaintext: false, cancellationToken),
            _ => throw AwsErrors.UnknownOperation("KMS", operation, Operations),
        };

    private static KeyScope ScopeOf(RequestContext context) => new(context.AccountId, context.Region);

    /// <summary>Resolves the request's KeyId member and checks kms:&lt;action&gt; on the key's ARN.</summary>
    private async Task<KeyRecord> AuthorizedKeyAsync(RequestContext context, string keyId, string action, bool allowAlias, CancellationToken cancellationToken)
    {
        var key = await keys.ResolveAsync(ScopeOf(context), keyId, allowAlias, cancellationToken);
        await authorizer.AuthorizeAsync(context, action, key.Arn, cancellationToken);
        return key;
    }

    /// <summary>
    /// An AWS managed key's policy allows its use only through its service (kms:ViaService) and no management at all,
    /// so direct KMS calls that use or change it are denied, as in AWS.
    /// </summary>
    private static void DenyAwsManaged(RequestContext context, KeyRecord key, string action)
    {
        if (key.IsAwsManaged)
        {
            throw AwsErrors.KmsNoResourcePolicy(context.Principal.Arn, action, key.Arn);
        }
    }

    private static JsonObject KeyMetadata(KeyRecord key) => new()
    {
        ["AWSAccountId"] = key.Scope.AccountId,
        ["KeyId"] = key.KeyId,
        ["Arn"] = key.Arn,
        ["CreationDate"] = Timestamp(key.CreatedAt),
        ["Enabled"] = key.Enabled,
        ["Description"] = key.Description,
        ["KeyUsage"] = key.KeyUsage,
        ["KeyState"] = key.KeyState,
        ["Origin"] = key.Origin,
        ["KeyManager"] = key.KeyManager,
        ["CustomerMasterKeySpec"] = key.KeySpec,
        ["KeySpec"] = key.KeySpec,
        ["EncryptionAlgorithms"] = new JsonArray(SymmetricDefault),
        ["MultiRegion"] = false,
    };

    /// <summary>JSON 1.1 timestamps are epoch seconds.</summary>
    private static JsonNode Timestamp(DateTimeOffset time) => JsonValue.Create(time.ToUnixTimeMilliseconds() / 1000.0);

    /// <summary>Markers are opaque to clients: the last name returned, base64url.</summary>
    private static string EncodeMarker(string last) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(last)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? DecodeMarker(string? marker)
    {
        if (marker is null)
        {
            return null;
        }

        try
        {
            var base64 = marker.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw AwsErrors.KmsInvalidMarker();
        }
    }

    private static JsonObject Page(string listMember, JsonArray items, string? nextMarker)
    {
        var result = new JsonObject { [listMember] = items, ["Truncated"] = nextMarker is not null };
        if (nextMarker is not null)
        {
            result["NextMarker"] = nextMarker;
        }

        return result;
    }
}
