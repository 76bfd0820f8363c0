namespace Cairn.Application.Keys;

/// <summary>Encrypt: <paramref name="Plaintext"/> stays the caller's to zero.</summary>
public sealed record EncryptRequest(
    string KeyId,
    byte[] Plaintext,
    IReadOnlyDictionary<string, string> EncryptionContext,
    string? EncryptionAlgorithm = null,
    bool DryRun = false);
