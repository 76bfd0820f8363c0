using Cairn.Core.Parameters;

namespace Cairn.Application.Parameters;

/// <summary>PutParameter as a caller asks it, before its checks: the API's input after its shape check, or the dashboard's form.</summary>
public sealed record PutParameterRequest(string Name, string Value)
{
    public string? Type { get; init; }

    public string? KeyId { get; init; }

    public string? Description { get; init; }

    public bool Overwrite { get; init; }

    public string? AllowedPattern { get; init; }

    public IReadOnlyList<ParameterTag> Tags { get; init; } = [];

    public string? Tier { get; init; }

    /// <summary>The Policies JSON text as given, or null.</summary>
    public string? Policies { get; init; }

    public string? DataType { get; init; }
}
