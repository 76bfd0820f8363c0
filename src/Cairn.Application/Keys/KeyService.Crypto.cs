using System.Security.Cryptography;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>Encrypt, Decrypt, GenerateDataKey (and its WithoutPlaintext twin), symmetric only.</summary>
public sealed partial class KeyService
{
    public async Task<EncryptResponse> EncryptAsync(RequestContext context, EncryptRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var key = await UsableKeyAsync(context, request.KeyId, "kms:Encrypt", "Encrypt", request.EncryptionAlgorithm, cancellationToken);
        StopIfDryRun(request.DryRun);

        return new EncryptResponse(keys.Encrypt(key, request.Plaintext, request.EncryptionContext), key.Arn);
    }

    public async Task<DecryptResponse> DecryptAsync(RequestContext context, DecryptRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var key = await DecryptionKeyAsync(ScopeOf(context), request, cancellationToken);
        await AuthorizeOnKeyAsync(context, key, "kms:Decrypt", cancellationToken);
        CheckUsable(context, key, "kms:Decrypt", "Decrypt", request.EncryptionAlgorithm);
        StopIfDryRun(request.DryRun);

        return new DecryptResponse(keys.Decrypt(key, request.CiphertextBlob, request.EncryptionContext), key.Arn);
    }

    /// <summary>A fresh data key encrypted under the key; its plaintext only when <see cref="GenerateDataKeyRequest.WithPlaintext"/>.</summary>
    public async Task<EncryptResponse> GenerateDataKeyAsync(RequestContext context, GenerateDataKeyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var operation = request.WithPlaintext ? "GenerateDataKey" : "GenerateDataKeyWithoutPlaintext";
        if ((request.NumberOfBytes is null) == (request.KeySpec is null))
        {
            throw AwsErrors.KmsDataKeySize();
        }

        var key = await UsableKeyAsync(context, request.KeyId, "kms:" + operation, operation, algorithm: null, cancellationToken);
        StopIfDryRun(request.DryRun);

        var dataKey = RandomNumberGenerator.GetBytes(request.NumberOfBytes ?? (request.KeySpec == "AES_128" ? 16 : 32));
        try
        {
            var blob = keys.Encrypt(key, dataKey, request.EncryptionContext);
            return request.WithPlaintext ? new EncryptResponse(blob, key.Arn, dataKey) : new EncryptResponse(blob, key.Arn);
        }
        finally
        {
            if (!request.WithPlaintext)
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }
        }
    }

    /// <summary>
    /// Decrypts under the source key (kms:ReEncryptFrom) and encrypts under the destination key (kms:ReEncryptTo) without
    /// the plaintext leaving the service; also moves ciphertext made under old material to the key's current material.
    /// </summary>
    public async Task<ReEncryptResponse> ReEncryptAsync(RequestContext context, ReEncryptRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var source = await DecryptionKeyAsync(ScopeOf(context), new DecryptRequest(request.CiphertextBlob, request.SourceEncryptionContext, request.SourceKeyId, null), cancellationToken);
        await AuthorizeOnKeyAsync(context, source, "kms:ReEncryptFrom", cancellationToken);
        CheckUsable(context, source, "kms:ReEncryptFrom", "ReEncrypt", request.SourceEncryptionAlgorithm);
        var destination = await UsableKeyAsync(context, request.DestinationKeyId, "kms:ReEncryptTo", "ReEncrypt", request.DestinationEncryptionAlgorithm, cancellationToken);
        StopIfDryRun(request.DryRun);

        var sourceVersion = CiphertextBlob.ReadMaterialVersion(request.CiphertextBlob) ?? 0;
        var plaintext = keys.Decrypt(source, request.CiphertextBlob, request.SourceEncryptionContext);
        try
        {
            var blob = keys.Encrypt(destination, plaintext, request.DestinationEncryptionContext);
            return new ReEncryptResponse(blob, source.Arn, destination.Arn,
                KeyMaterialVersion.MaterialId(source.KeyId, sourceVersion), KeyMaterialVersion.MaterialId(destination.KeyId, destination.CurrentMaterialVersion));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Random bytes from the system's CSPRNG (kms:GenerateRandom on *). AWS requires NumberOfBytes in practice.</summary>
    public async Task<byte[]> GenerateRandomAsync(RequestContext context, int? numberOfBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await authorizer.AuthorizeAsync(context, "kms:GenerateRandom", "*", cancellationToken);
        return RandomNumberGenerator.GetBytes(numberOfBytes ?? throw AwsErrors.KmsRandomSize());
    }

    /// <summary>The key the blob names; when the request names a key too, it must be the same one (IncorrectKeyException).</summary>
    private async Task<KeyRecord> DecryptionKeyAsync(KeyScope scope, DecryptRequest request, CancellationToken cancellationToken)
    {
        if (request.KeyId is not null)
        {
            var key = await keys.ResolveAsync(scope, request.KeyId, allowAlias: true, cancellationToken);
            if (CiphertextBlob.ReadKeyId(request.CiphertextBlob) is not { } blobKeyId)
            {
                throw AwsErrors.KmsInvalidCiphertext();
            }

            if (blobKeyId != key.KeyId)
            {
                throw AwsErrors.KmsIncorrectKey();
            }

            return key;
        }

        return await keys.FindCiphertextKeyAsync(scope, request.CiphertextBlob, cancellationToken) ?? throw AwsErrors.KmsInvalidCiphertext();
    }

    /// <summary>DryRun stops a request that would succeed, after every check.</summary>
    private static void StopIfDryRun(bool dryRun)
    {
        if (dryRun)
        {
            throw AwsErrors.KmsDryRun();
        }
    }

    /// <summary>Resolve, authorize, then the checks AWS makes in order: managed-key policy, key usage, algorithm, state.</summary>
    private async Task<KeyRecord> UsableKeyAsync(RequestContext context, string keyId, string action, string operation, string? algorithm, CancellationToken cancellationToken)
    {
        var key = await AuthorizedKeyAsync(context, keyId, action, allowAlias: true, cancellationToken);
        CheckUsable(context, key, action, operation, algorithm);
        return key;
    }

    private static void CheckUsable(RequestContext context, KeyRecord key, string action, string operation, string? algorithm)
    {
        DenyAwsManaged(context, key, action);
        if (key.KeyUsage != KeyRecord.EncryptDecrypt)
        {
            throw AwsErrors.KmsInvalidKeyUsage(key.Arn, key.KeyUsage, operation);
        }

        if (algorithm is not null && algorithm != SymmetricDefault)
        {
            throw AwsErrors.KmsAlgorithmIncompatible(algorithm, key.KeySpec);
        }

        KeyRing.EnsureUsable(key);
    }
}
