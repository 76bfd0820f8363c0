namespace Cairn.Application.Keys;

/// <summary>Sign and Verify: <paramref name="MessageType"/> RAW (null) or DIGEST; <paramref name="Signature"/> is Verify's.</summary>
public sealed record SignRequest(
    string KeyId,
    byte[] Message,
    string? MessageType,
    string SigningAlgorithm,
    byte[]? Signature = null,
    bool DryRun = false);
