namespace Cairn.Application.Keys;

/// <summary>
/// A data key pair: the public key (DER SubjectPublicKeyInfo), the private key (DER PKCS#8) encrypted under the KMS key
/// and, for GenerateDataKeyPair, in plaintext too (the caller zeroes it).
/// </summary>
public sealed record DataKeyPairResponse(byte[] PrivateKeyCiphertextBlob, byte[] PublicKey, string KeyArn, string KeyPairSpec, string? KeyMaterialId, byte[]? PrivateKeyPlaintext = null);
