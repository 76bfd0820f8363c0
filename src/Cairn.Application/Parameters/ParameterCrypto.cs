using System.Text;
using Cairn.Application.Keys;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;
using Cairn.Core.Parameters;

namespace Cairn.Application.Parameters;

/// <summary>
/// SecureString values under KMS as Parameter Store keeps them: encrypted under the parameter's key with its ARN as the
/// encryption context (so a ciphertext cannot be moved to another parameter), and KMS authorized as SSM's call on the
/// caller's behalf: the key's policy, then the caller's IAM policies, with kms:ViaService.
/// </summary>
public sealed class ParameterCrypto(IKeyService keys, IAuthorizer authorizer)
{
    private const string EncryptionContextKey = "PARAMETER_ARN";

    private readonly KeyAuthorization _keyAuthorization = new(authorizer);

    /// <summary>A customer key needs its key policy's and the caller's kms permission; the managed key alias/aws/ssm is allowed by its policy.</summary>
    public async Task<string> EncryptAsync(RequestContext context, ParameterScope scope, string key, string keyId, bool advanced,
        string plaintext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var keyScope = new KeyScope(scope.AccountId, scope.Region);
        var found = await FindKeyAsync(context, keyScope, keyId, cancellationToken);
        await AuthorizeKmsAsync(context, advanced ? "kms:GenerateDataKey" : "kms:Encrypt", found, scope.ArnFor(key), cancellationToken);

        try
        {
            var blob = await keys.EncryptAsync(keyScope, keyId, Encoding.UTF8.GetBytes(plaintext), EncryptionContext(scope, key), cancellationToken);
            return Convert.ToBase64String(blob);
        }
        catch (AwsException error) when (IsKmsRefusal(error))
        {
            throw AwsErrors.InvalidKeyId(KmsMessage(error, found), error.Code, context.RequestId);
        }
    }

    /// <summary>The value a read returns: plaintext, or for SecureString the ciphertext unless decryption was asked for.</summary>
    public async Task<string> ValueForAsync(RequestContext context, ParameterScope scope, string key, ParameterVersion version,
        bool withDecryption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(version);
        if (version.Type != ParameterTypes.SecureString || !withDecryption)
        {
            return version.Value;
        }

        var keyScope = new KeyScope(scope.AccountId, scope.Region);
        var found = await FindKeyAsync(context, keyScope, version.KeyId ?? PutParameterPlanner.DefaultKeyId, cancellationToken);
        await AuthorizeKmsAsync(context, "kms:Decrypt", found, scope.ArnFor(key), cancellationToken);

        try
        {
            var result = await keys.DecryptAsync(keyScope, Convert.FromBase64String(version.Value), EncryptionContext(scope, key), cancellationToken);
            return Encoding.UTF8.GetString(result.Plaintext);
        }
        catch (AwsException error) when (IsKmsRefusal(error))
        {
            throw AwsErrors.InvalidKeyId(KmsMessage(error, found), error.Code, context.RequestId);
        }
    }

    /// <summary>The ARN of a key id, alias or ARN, or null when there is no such key.</summary>
    public async Task<string?> KeyArnAsync(ParameterScope scope, string keyId, CancellationToken cancellationToken) =>
        (await keys.FindKeyAsync(new KeyScope(scope.AccountId, scope.Region), keyId, cancellationToken))?.Arn;

    private async Task<KeyReference> FindKeyAsync(RequestContext context, KeyScope scope, string keyId, CancellationToken cancellationToken)
    {
        KeyReference? found;
        try
        {
            found = await keys.FindKeyAsync(scope, keyId, cancellationToken);
        }
        catch (AwsException error) when (IsKmsRefusal(error))
        {
            throw AwsErrors.InvalidKeyId(error.Message, error.Code, context.RequestId);
        }

        return found ?? throw AwsErrors.InvalidKeyId(KeyNotFoundText(scope, keyId), "NotFoundException", context.RequestId);
    }

    /// <summary>KMS's own words for a key or alias that does not exist.</summary>
    private static string KeyNotFoundText(KeyScope scope, string keyId)
    {
        if (keyId.StartsWith("alias/", StringComparison.Ordinal))
        {
            return $"Alias arn:aws:kms:{scope.Region}:{scope.AccountId}:{keyId} is not found.";
        }

        if (keyId.StartsWith("arn:", StringComparison.Ordinal) && keyId.Contains(":alias/", StringComparison.Ordinal))
        {
            return $"Alias {keyId} is not found.";
        }

        return keyId.StartsWith("arn:", StringComparison.Ordinal)
            ? $"Key '{keyId}' does not exist"
            : $"Key 'arn:aws:kms:{scope.Region}:{scope.AccountId}:key/{keyId}' does not exist";
    }

    /// <summary>
    /// SSM's call to KMS on the caller's behalf, authorized as KMS authorizes it (<see cref="KeyAuthorization"/>: the key
    /// policy, then IAM) with the context keys KMS sees (kms:ViaService, kms:CallerAccount, the parameter's ARN as
    /// encryption context). An AWS managed key's policy allows every principal of the account through SSM, so it needs no
    /// identity-based Allow, but an explicit deny in the caller's policies still refuses, as in AWS; a customer key's
    /// policy can deny or fail to allow the caller. A denial is passed on with KMS's request details appended, as AWS does.
    /// </summary>
    private async Task AuthorizeKmsAsync(RequestContext context, string action, KeyReference key, string parameterArn, CancellationToken cancellationToken)
    {
        var conditions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["kms:ViaService"] = $"ssm.{context.Region}.amazonaws.com",
            ["kms:CallerAccount"] = context.AccountId,
            ["kms:EncryptionContext:" + EncryptionContextKey] = parameterArn,
            ["kms:EncryptionContextKeys"] = EncryptionContextKey,
        };
        await ViaServiceKms.AuthorizeAsync(_keyAuthorization, context, key, action, conditions, cancellationToken);
    }

    private static Dictionary<string, string> EncryptionContext(ParameterScope scope, string key) =>
        new(StringComparer.Ordinal) { [EncryptionContextKey] = scope.ArnFor(key) };

    private static string KmsMessage(AwsException error, KeyReference key) => ViaServiceKms.Message(error, key);

    /// <summary>KMS refusing the key or ciphertext (not found, disabled, bad blob): SSM reports it as InvalidKeyId.</summary>
    private static bool IsKmsRefusal(AwsException error) => ViaServiceKms.IsRefusal(error);
}
