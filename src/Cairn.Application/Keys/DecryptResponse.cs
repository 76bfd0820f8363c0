namespace Cairn.Application.Keys;

/// <summary>Decrypt's result; the caller zeroes <paramref name="Plaintext"/> once written.</summary>
public sealed record DecryptResponse(byte[] Plaintext, string KeyArn)
{
    public string EncryptionAlgorithm { get; init; } = KeyService.SymmetricDefault;
}
