namespace Cairn.Application.Keys;

/// <summary>The new ciphertext, both keys' ARNs and the material that decrypted and encrypted (KMS's KeyMaterialIds, symmetric keys only) and the algorithms.</summary>
public sealed record ReEncryptResponse(byte[] CiphertextBlob, string SourceKeyArn, string KeyArn, string? SourceKeyMaterialId, string? DestinationKeyMaterialId)
{
    public string SourceEncryptionAlgorithm { get; init; } = KeyService.SymmetricDefault;

    public string DestinationEncryptionAlgorithm { get; init; } = KeyService.SymmetricDefault;
}
