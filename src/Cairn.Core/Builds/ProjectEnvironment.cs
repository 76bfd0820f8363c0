namespace Cairn.Core.Builds;

/// <summary>The build environment: where commands run (<see cref="Type"/>, <see cref="Image"/>) and its variables.</summary>
public sealed record ProjectEnvironment(
    string Type,
    string Image,
    string ComputeType,
    IReadOnlyList<EnvironmentVariable> Variables,
    bool PrivilegedMode = false);
