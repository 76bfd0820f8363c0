namespace Cairn.Server.Aws.Validation;

/// <summary>Base64 bytes (plaintext, ciphertext): bounds apply to the decoded length, and AWS never echoes the value.</summary>
internal sealed record BlobShape(int? Min = null, int? Max = null) : Shape;
