using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>GetPublicKey, Sign, Verify: asymmetric keys (RSA, ECC) with KeyUsage SIGN_VERIFY; GetPublicKey for any key pair.</summary>
public sealed partial class KeyService
{
    public const string Raw = "RAW";
    public const string Digest = "DIGEST";

    /// <summary>The public key of an asymmetric key, DER SubjectPublicKeyInfo; a symmetric or HMAC key has none.</summary>
    public async Task<PublicKeyResponse> GetPublicKeyAsync(RequestContext context, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = await AuthorizedKeyAsync(context, keyId, "kms:GetPublicKey", allowAlias: true, cancellationToken);
        if (!KeySpecs.IsAsymmetric(key.KeySpec))
        {
            throw AwsErrors.KmsNoPublicKey(key.Arn, key.KeySpec);
        }

        KeyRing.EnsureUsable(key);
        return new PublicKeyResponse(key, KeyPairs.PublicKey(key.KeySpec, keys.Material(key)));
    }

    public async Task<SignResponse> SignAsync(RequestContext context, SignRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var (key, isDigest) = await SigningKeyAsync(context, request, "kms:Sign", "Sign", cancellationToken);
        StopIfDryRun(request.DryRun);
        return new SignResponse(KeyPairs.Sign(key.KeySpec, keys.Material(key), request.SigningAlgorithm, request.Message, isDigest), key.Arn, request.SigningAlgorithm);
    }

    /// <summary>Verifies a signature with the key's public key; one that does not verify is KMSInvalidSignatureException.</summary>
    public async Task<KeyRecord> VerifyAsync(RequestContext context, SignRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var (key, isDigest) = await SigningKeyAsync(context, request, "kms:Verify", "Verify", cancellationToken);
        StopIfDryRun(request.DryRun);
        var signature = request.Signature ?? throw new ArgumentException("Verify needs a signature.", nameof(request));
        return KeyPairs.Verify(key.KeySpec, keys.Material(key), request.SigningAlgorithm, request.Message, isDigest, signature)
            ? key
            : throw AwsErrors.KmsInvalidSignature();
    }

    /// <summary>Resolve, authorize, the usage/algorithm/state checks, then the message: a DIGEST must be its hash's length.</summary>
    private async Task<(KeyRecord Key, bool IsDigest)> SigningKeyAsync(RequestContext context, SignRequest request, string action, string operation, CancellationToken cancellationToken)
    {
        var key = await AuthorizedKeyAsync(context, request.KeyId, action, allowAlias: true, cancellationToken);
        CheckUsable(context, key, action, operation, KeySpecs.SignVerify, request.SigningAlgorithm, KeySpecs.SigningAlgorithms(key.KeySpec, key.KeyUsage));
        var isDigest = request.MessageType switch
        {
            null or Raw => false,
            Digest => true,
            _ => throw AwsErrors.Validation($"MessageType {request.MessageType} is incompatible with algorithm {request.SigningAlgorithm}; use RAW for a message or DIGEST for its hash."),
        };
        var digestLength = KeySpecs.DigestLength(KeySpecs.SigningHash(request.SigningAlgorithm));
        if (isDigest && request.Message.Length != digestLength)
        {
            throw AwsErrors.KmsDigestLength(request.SigningAlgorithm, digestLength, request.Message.Length);
        }

        return (key, isDigest);
    }
}
