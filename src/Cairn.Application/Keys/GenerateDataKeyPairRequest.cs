namespace Cairn.Application.Keys;

/// <summary>GenerateDataKeyPair and its WithoutPlaintext twin: a key pair of <paramref name="KeyPairSpec"/> whose private key is encrypted under the symmetric key <paramref name="KeyId"/>.</summary>
public sealed record GenerateDataKeyPairRequest(
    string KeyId,
    IReadOnlyDictionary<string, string> EncryptionContext,
    string KeyPairSpec,
    bool WithPlaintext,
    bool DryRun = false);
