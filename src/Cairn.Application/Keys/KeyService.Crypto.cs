using System.Security.Cryptography;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>
/// Encrypt, Decrypt, ReEncrypt (symmetric keys, and RSA keys with RSAES-OAEP), GenerateDataKey (and its WithoutPlaintext
/// twin, symmetric keys only), GenerateRandom.
/// </summary>
public sealed partial class KeyService
{
    public async Task<EncryptResponse> EncryptAsync(RequestContext context, EncryptRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var key = await UsableKeyAsync(context, request.KeyId, "kms:Encrypt", "Encrypt", request.EncryptionAlgorithm, cancellationToken);
        var algorithm = request.EncryptionAlgorithm ?? SymmetricDefault;
        var blob = EncryptWith(key, algorithm, request.Plaintext, request.EncryptionContext, request.DryRun);
        return new EncryptResponse(blob, key.Arn) { EncryptionAlgorithm = algorithm };
    }

    public async Task<DecryptResponse> DecryptAsync(RequestContext context, DecryptRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var key = await DecryptionKeyAsync(ScopeOf(context), request, cancellationToken);
        await AuthorizeOnKeyAsync(context, key, "kms:Decrypt", cancellationToken);
        CheckUsable(context, key, "kms:Decrypt", "Decrypt", request.EncryptionAlgorithm);
        var algorithm = request.EncryptionAlgorithm ?? SymmetricDefault;
        return new DecryptResponse(DecryptWith(key, algorithm, request.CiphertextBlob, request.EncryptionContext, request.DryRun), key.Arn) { EncryptionAlgorithm = algorithm };
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

        var key = await DataKeyTargetAsync(context, request.KeyId, operation, request.DryRun, cancellationToken);

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
        var (sourceAlgorithm, destinationAlgorithm) = (request.SourceEncryptionAlgorithm ?? SymmetricDefault, request.DestinationEncryptionAlgorithm ?? SymmetricDefault);

        var sourceVersion = CiphertextBlob.ReadMaterialVersion(request.CiphertextBlob) ?? 0;
        var plaintext = DecryptWith(source, sourceAlgorithm, request.CiphertextBlob, request.SourceEncryptionContext, dryRun: false);
        try
        {
            var blob = EncryptWith(destination, destinationAlgorithm, plaintext, request.DestinationEncryptionContext, request.DryRun);
            return new ReEncryptResponse(blob, source.Arn, destination.Arn, MaterialIdOf(source, sourceVersion), MaterialIdOf(destination, destination.CurrentMaterialVersion))
            {
                SourceEncryptionAlgorithm = sourceAlgorithm,
                DestinationEncryptionAlgorithm = destinationAlgorithm,
            };
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
            if (KeySpecs.IsAsymmetric(key.KeySpec))
            {
                // RSA ciphertext is OAEP's output alone: it names no key, so Decrypt needs the KeyId, as in KMS.
                return key;
            }

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

    /// <summary>Encryption's checks: an ENCRYPT_DECRYPT key whose spec takes the algorithm (SYMMETRIC_DEFAULT when absent).</summary>
    private static void CheckUsable(RequestContext context, KeyRecord key, string action, string operation, string? algorithm) =>
        CheckUsable(context, key, action, operation, KeyRecord.EncryptDecrypt, algorithm ?? SymmetricDefault, KeySpecs.EncryptionAlgorithms(key.KeySpec, key.KeyUsage));

    /// <summary>AWS's order: managed-key policy, key usage, algorithm, key state.</summary>
    private static void CheckUsable(RequestContext context, KeyRecord key, string action, string operation, string keyUsage, string algorithm, IReadOnlyList<string> algorithms)
    {
        DenyAwsManaged(context, key, action);
        if (key.KeyUsage != keyUsage)
        {
            throw AwsErrors.KmsInvalidKeyUsage(key.Arn, key.KeyUsage, operation);
        }

        if (!algorithms.Contains(algorithm))
        {
            throw AwsErrors.KmsAlgorithmIncompatible(algorithm, key.KeySpec, algorithms);
        }

        KeyRing.EnsureUsable(key);
    }

    /// <summary>Encrypts under a checked key: AES-256-GCM blobs for symmetric keys, RSAES-OAEP for RSA keys (no context, a size limit).</summary>
    private byte[] EncryptWith(KeyRecord key, string algorithm, byte[] plaintext, IReadOnlyDictionary<string, string> encryptionContext, bool dryRun)
    {
        if (!KeySpecs.IsRsa(key.KeySpec))
        {
            StopIfDryRun(dryRun);
            return keys.Encrypt(key, plaintext, encryptionContext);
        }

        NoEncryptionContext(key, encryptionContext);
        var max = KeySpecs.MaxRsaPlaintext(key.KeySpec, algorithm);
        if (plaintext.Length > max)
        {
            throw AwsErrors.KmsPlaintextTooLong(key.KeySpec, algorithm, max, plaintext.Length);
        }

        StopIfDryRun(dryRun);
        return KeyPairs.Encrypt(keys.Material(key), algorithm, plaintext);
    }

    private byte[] DecryptWith(KeyRecord key, string algorithm, byte[] ciphertext, IReadOnlyDictionary<string, string> encryptionContext, bool dryRun)
    {
        if (!KeySpecs.IsRsa(key.KeySpec))
        {
            StopIfDryRun(dryRun);
            return keys.Decrypt(key, ciphertext, encryptionContext);
        }

        NoEncryptionContext(key, encryptionContext);
        StopIfDryRun(dryRun);
        return KeyPairs.TryDecrypt(keys.Material(key), algorithm, ciphertext) ?? throw AwsErrors.KmsInvalidCiphertext();
    }

    private static void NoEncryptionContext(KeyRecord key, IReadOnlyDictionary<string, string> encryptionContext)
    {
        if (encryptionContext.Count > 0)
        {
            throw AwsErrors.KmsEncryptionContextUnsupported(key.KeySpec);
        }
    }

    /// <summary>KMS reports KeyMaterialIds for symmetric encryption keys only.</summary>
    private static string? MaterialIdOf(KeyRecord key, int version) =>
        key.KeySpec == KeyRecord.SymmetricDefault ? KeyMaterialVersion.MaterialId(key.KeyId, version) : null;

    /// <summary>
    /// The key a data key (or data key pair) is made under, as GenerateDataKey* authorizes and checks it: authorized for
    /// <c>kms:&lt;operation&gt;</c>, a customer key, ENCRYPT_DECRYPT, symmetric, usable; then a DryRun stops here.
    /// </summary>
    private async Task<KeyRecord> DataKeyTargetAsync(RequestContext context, string keyId, string operation, bool dryRun, CancellationToken cancellationToken)
    {
        var key = await AuthorizedKeyAsync(context, keyId, "kms:" + operation, allowAlias: true, cancellationToken);
        DenyAwsManaged(context, key, "kms:" + operation);
        if (key.KeyUsage != KeyRecord.EncryptDecrypt)
        {
            throw AwsErrors.KmsInvalidKeyUsage(key.Arn, key.KeyUsage, operation);
        }

        KeyRing.EnsureSymmetric(key, operation);
        KeyRing.EnsureUsable(key);
        StopIfDryRun(dryRun);
        return key;
    }
}
