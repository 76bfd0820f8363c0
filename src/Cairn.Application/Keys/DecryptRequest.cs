namespace Cairn.Application.Keys;

/// <summary>Decrypt: the blob names its key; <paramref name="KeyId"/>, when given, must be that key.</summary>
public sealed record DecryptRequest(
    byte[] CiphertextBlob,
    IReadOnlyDictionary<string, string> EncryptionContext,
    string? KeyId = null,
    string? EncryptionAlgorithm = null,
    bool DryRun = false);
