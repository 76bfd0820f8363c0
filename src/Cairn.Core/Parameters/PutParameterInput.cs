namespace Cairn.Core.Parameters;

/// <summary>A validated PutParameter request; <see cref="Value"/> is the plaintext (checked against size and pattern).</summary>
public sealed record PutParameterInput
{
    public required ParameterName Name { get; init; }

    public required string Value { get; init; }

    /// <summary>Null on an update keeps the current type.</summary>
    public string? Type { get; init; }

    public string? KeyId { get; init; }

    public string? Description { get; init; }

    public bool Overwrite { get; init; }

    public string? AllowedPattern { get; init; }

    public IReadOnlyList<ParameterTag> Tags { get; init; } = [];

    public string? Tier { get; init; }

    /// <summary>Null keeps the current policies; an empty set removes them.</summary>
    public ParameterPolicySet? Policies { get; init; }

    public string? DataType { get; init; }

    /// <summary>LastModifiedUser: the caller's ARN.</summary>
    public required string User { get; init; }

    public required DateTimeOffset Now { get; init; }
}
