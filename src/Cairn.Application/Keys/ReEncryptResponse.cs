namespace Cairn.Application.Keys;

/// <summary>The new ciphertext, both keys' ARNs and the material that decrypted and encrypted (KMS's KeyMaterialIds).</summary>
public sealed record ReEncryptResponse(byte[] CiphertextBlob, string SourceKeyArn, string KeyArn, string SourceKeyMaterialId, string DestinationKeyMaterialId);
