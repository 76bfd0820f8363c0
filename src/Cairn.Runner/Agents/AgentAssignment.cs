using Cairn.Core.Builds;

namespace Cairn.Runner.Agents;

/// <summary>
/// A claimed build as the server hands it to an agent: plain data only. <see cref="LeaseToken"/> must accompany every
/// report about the build; the credentials are the build role's temporary session, never the server's own.
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
    long LeaseSeconds);
