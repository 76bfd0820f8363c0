namespace Cairn.Application.Keys;

/// <summary>Encrypt's and GenerateDataKey's result: the blob, the key's ARN and, for GenerateDataKey, the plaintext data key (the caller zeroes it).</summary>
public sealed record EncryptResponse(byte[] CiphertextBlob, string KeyArn, byte[]? Plaintext = null)
{
    public string EncryptionAlgorithm { get; init; } = KeyService.SymmetricDefault;
}
