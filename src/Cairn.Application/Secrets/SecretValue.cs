namespace Cairn.Application.Secrets;

/// <summary>A secret version's decrypted value as GetSecretValue returns it: <see cref="String"/> or <see cref="Binary"/>, never both.</summary>
public sealed record SecretValue(string Arn, string Name, string VersionId, IReadOnlyList<string> Stages, DateTimeOffset Created, string? String, byte[]? Binary);
