namespace Cairn.Application.Keys;

/// <summary>Sign's result: the signature (PKCS #1 for RSA, DER for ECDSA), the key's ARN and the algorithm.</summary>
public sealed record SignResponse(byte[] Signature, string KeyArn, string SigningAlgorithm);
