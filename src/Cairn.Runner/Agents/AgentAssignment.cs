using Cairn.Core.Builds;

namespace Cairn.Runner.Agents;

/// <summary>
/// A claimed build as the server hands it to an agent: plain data only. <see cref="LeaseToken"/> must accompany every
/// report about the build; the credentials are the build role's temporary session, never the server's own. Fields added
/// after the first protocol are init properties, so an older agent reads a newer server's assignment.
/// </summary>
public sealed record AgentAssignment(
    string Uuid,
    string BuildId,
    string LeaseToken,
    string ProjectName,
    long BuildNumber,
    string Initiator,
    string AccountId,
    string Region,
    AgentSource Source,
    string EnvironmentType,
    string Image,
    bool PrivilegedMode,
    IReadOnlyList<EnvironmentVariable> Variables,
    AgentCredentials Credentials,
    int TimeoutInMinutes,
    bool NoArtifacts,
    BuildPhaseRecord Provisioning,
    long LeaseSeconds)
{
    /// <summary>The project's artifacts packaging: ZIP, or NONE (a directory per artifact).</summary>
    public string? ArtifactsPackaging { get; init; }

    /// <summary>
    /// Whether the project keeps a cache (its cache type is not NO_CACHE). An agent keeps it in its own work directory, as
    /// CodeBuild's LOCAL cache is its build host's: builds of the project on that agent share it.
    /// </summary>
    public bool Caches { get; init; }

    /// <summary>A pipeline build's input artifacts (a CODEPIPELINE source), the primary first: the agent downloads each.</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];
}
