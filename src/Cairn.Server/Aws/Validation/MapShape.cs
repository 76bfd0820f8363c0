namespace Cairn.Server.Aws.Validation;

/// <summary>A JSON object of string keys to values of one shape (KMS's EncryptionContext: strings; CodePipeline's artifactStores: structures).</summary>
internal sealed record MapShape(StringShape Key, Shape Value) : Shape;
