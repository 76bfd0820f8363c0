namespace Cairn.Application.Keys;

/// <summary>GenerateDataKey and its WithoutPlaintext twin: exactly one of <paramref name="NumberOfBytes"/> and <paramref name="KeySpec"/> (AES_256, AES_128).</summary>
public sealed record GenerateDataKeyRequest(
    string KeyId,
    IReadOnlyDictionary<string, string> EncryptionContext,
    int? NumberOfBytes,
    string? KeySpec,
    bool WithPlaintext,
    bool DryRun = false);
