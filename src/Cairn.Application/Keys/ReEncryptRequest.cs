namespace Cairn.Application.Keys;

/// <summary>ReEncrypt's members; <see cref="SourceKeyId"/> is optional, as in Decrypt (the blob names its key).</summary>
public sealed record ReEncryptRequest(
    byte[] CiphertextBlob,
    IReadOnlyDictionary<string, string> SourceEncryptionContext,
    string? SourceKeyId,
    string DestinationKeyId,
    IReadOnlyDictionary<string, string> DestinationEncryptionContext,
    string? SourceEncryptionAlgorithm,
    string? DestinationEncryptionAlgorithm,
    bool DryRun = false);
