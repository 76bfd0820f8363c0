using Cairn.Application.Keys;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;
using Cairn.Core.Secrets;

namespace Cairn.Application.Secrets;

/// <summary>
/// Secret values under KMS as Secrets Manager keeps them: each version encrypted under the secret's key (default
/// alias/aws/secretsmanager) with the secret's ARN and the version id as encryption context, so a ciphertext cannot move
/// to another secret or version, and KMS authorized as Secrets Manager's call on the caller's behalf (kms:ViaService;
/// the AWS managed key's policy allows every principal of the account, a customer key's policy and the caller's IAM policies decide).
/// </summary>
public sealed class SecretCrypto(IKeyService keys, IAuthorizer authorizer)
{
    private readonly KeyAuthorization _keyAuthorization = new(authorizer);

    /// <summary>The version's value encrypted (base64 of the blob) and the ARN of the key it is under.</summary>
    public async Task<(string Ciphertext, string KeyArn)> EncryptAsync(
        RequestContext context, string secretArn, string versionId, string? keyId, byte[] plaintext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = new KeyScope(context.AccountId, context.Region);
        var key = await FindKeyAsync(scope, keyId ?? SecretRules.DefaultKeyAlias, AwsErrors.SecretEncryptionFailure, cancellationToken);
        await AuthorizeKmsAsync(context, "kms:GenerateDataKey", key, secretArn, versionId, cancellationToken);
        try
        {
            var blob = await keys.EncryptAsync(scope, key.Arn, plaintext, EncryptionContext(secretArn, versionId), cancellationToken);
            return (Convert.ToBase64String(blob), key.Arn);
        }
        catch (AwsException error) when (IsKmsRefusal(error))
        {
            throw AwsErrors.SecretEncryptionFailure(KmsMessage(error, key));
        }
    }

    /// <summary>A version's plaintext bytes, with kms:Decrypt authorized on its key.</summary>
    public async Task<byte[]> DecryptAsync(RequestContext context, string secretArn, string versionId, string keyArn, string ciphertext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = new KeyScope(context.AccountId, context.Region);
        var key = await FindKeyAsync(scope, keyArn, AwsErrors.SecretDecryptionFailure, cancellationToken);
        await AuthorizeKmsAsync(context, "kms:Decrypt", key, secretArn, versionId, cancellationToken);
        try
        {
            var result = await keys.DecryptAsync(scope, Convert.FromBase64String(ciphertext), EncryptionContext(secretArn, versionId), cancellationToken);
            return result.Plaintext;
        }
        catch (AwsException error) when (IsKmsRefusal(error))
        {
            throw AwsErrors.SecretDecryptionFailure(KmsMessage(error, key));
        }
    }

    /// <summary>The ARN of a key id, alias or ARN, or null when there is none (not authorized: for DescribeSecret's KmsKeyId and fixes).</summary>
    public async Task<string?> KeyArnAsync(RequestContext context, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (await keys.FindKeyAsync(new KeyScope(context.AccountId, context.Region), keyId, cancellationToken))?.Arn;
    }

    private async Task<KeyReference> FindKeyAsync(KeyScope scope, string keyId, Func<string, AwsException> failure, CancellationToken cancellationToken)
    {
        KeyReference? found;
        try
        {
            found = await keys.FindKeyAsync(scope, keyId, cancellationToken);
        }
        catch (AwsException error) when (IsKmsRefusal(error))
        {
            throw failure(error.Message);
        }

        return found ?? throw failure($"No KMS key {keyId} in this account and region (aws kms list-aliases lists them).");
    }

    private async Task AuthorizeKmsAsync(RequestContext context, string action, KeyReference key, string secretArn, string versionId, CancellationToken cancellationToken)
    {
        var conditions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:ViaService"] = $"secretsmanager.{context.Region}.amazonaws.com",
            ["kms:CallerAccount"] = context.AccountId,
            ["kms:EncryptionContext:SecretARN"] = secretArn,
            ["kms:EncryptionContext:SecretVersionId"] = versionId,
        };
        await ViaServiceKms.AuthorizeAsync(_keyAuthorization, context, key, action, conditions, cancellationToken);
    }

    private static Dictionary<string, string> EncryptionContext(string secretArn, string versionId) =>
        new(StringComparer.Ordinal) { ["SecretARN"] = secretArn, ["SecretVersionId"] = versionId };

    private static string KmsMessage(AwsException error, KeyReference key) => ViaServiceKms.Message(error, key);

    private static bool IsKmsRefusal(AwsException error) => ViaServiceKms.IsRefusal(error);
}
