namespace Cairn.Server.Aws.Validation;

/// <summary>A JSON object of string keys to string values (KMS's EncryptionContext).</summary>
internal sealed record MapShape(StringShape Key, StringShape Value) : Shape;
