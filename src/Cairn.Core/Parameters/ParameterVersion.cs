namespace Cairn.Core.Parameters;

/// <summary>
/// One stored version of a parameter. <see cref="Value"/> is the plaintext for String and StringList, and the
/// base64 KMS ciphertext for SecureString: plaintext secrets are never stored.
/// </summary>
public sealed record ParameterVersion
{
    public required long Version { get; init; }

    public required string Type { get; init; }

    public required string Value { get; init; }

    /// <summary>SecureString only: the key as the caller named it (default <c>alias/aws/ssm</c>).</summary>
    public string? KeyId { get; init; }

    public string? Description { get; init; }

    public string? AllowedPattern { get; init; }

    public required string DataType { get; init; }

    /// <summary>Standard or Advanced (Intelligent-Tiering is resolved to one of them on write).</summary>
    public required string Tier { get; init; }

    /// <summary>The policies as a normalized JSON array, or null for none.</summary>
    public string? Policies { get; init; }

    public required DateTimeOffset LastModifiedDate { get; init; }

    public required string LastModifiedUser { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];
}
