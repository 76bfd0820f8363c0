using System.Security.Cryptography;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: RSA and ECC key pairs for use outside KMS, the private key encrypted under a symmetric key.</summary>
public sealed partial class KeyService
{
    /// <summary>The key pair specs Cairn generates: the RSA and ECC key specs it serves as KMS keys.</summary>
    public static readonly IReadOnlyList<string> DataKeyPairSpecs =
        ["RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1"];

    /// <summary>
    /// A fresh key pair; its private key is encrypted under the symmetric encryption key <see cref="GenerateDataKeyPairRequest.KeyId"/>
    /// with the request's encryption context, so Decrypt gives it back. The plaintext private key only when asked for.
    /// </summary>
    public async Task<DataKeyPairResponse> GenerateDataKeyPairAsync(RequestContext context, GenerateDataKeyPairRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var operation = request.WithPlaintext ? "GenerateDataKeyPair" : "GenerateDataKeyPairWithoutPlaintext";
        if (!DataKeyPairSpecs.Contains(request.KeyPairSpec))
        {
            throw request.KeyPairSpec == "SM2" ? AwsErrors.KmsSm2DataKeyPair() : AwsErrors.KmsDataKeyPairSpecUnsupported(request.KeyPairSpec);
        }

        var key = await DataKeyTargetAsync(context, request.KeyId, operation, request.DryRun, cancellationToken);

        var privateKey = KeyPairs.Generate(request.KeyPairSpec);
        try
        {
            var publicKey = KeyPairs.PublicKey(request.KeyPairSpec, privateKey);
            var blob = keys.Encrypt(key, privateKey, request.EncryptionContext);
            var materialId = MaterialIdOf(key, key.CurrentMaterialVersion);
            return request.WithPlaintext
                ? new DataKeyPairResponse(blob, publicKey, key.Arn, request.KeyPairSpec, materialId, privateKey)
                : new DataKeyPairResponse(blob, publicKey, key.Arn, request.KeyPairSpec, materialId);
        }
        finally
        {
            if (!request.WithPlaintext)
            {
                CryptographicOperations.ZeroMemory(privateKey);
            }
        }
    }
}
