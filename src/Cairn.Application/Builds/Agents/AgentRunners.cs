using Cairn.Core.Builds;

namespace Cairn.Application.Builds.Agents;

/// <summary>
/// How agent builds are told apart and routed. A build's runner is <c>agent:&lt;agent id&gt;/&lt;lease token&gt;</c>: the
/// lease token fences a stale agent, since every write checks the whole runner. A build's labels come from its
/// CAIRN_AGENT_LABELS variable (project environment or StartBuild's override): such a build runs only on an agent
/// carrying every label; a build without it runs on the server's workers or on any agent, whichever claims it first.
/// </summary>
public static class AgentRunners
{
    public const string Prefix = "agent:";
    public const string LabelsVariable = "CAIRN_AGENT_LABELS";

    public static string Runner(string agentId, string leaseToken) => $"{Prefix}{agentId}/{leaseToken}";

    public static bool IsAgent(string? runner) => runner is not null && runner.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The agent id of an agent runner.</summary>
    public static string AgentOf(string runner) => runner[Prefix.Length..].Split('/')[0];

    public static IReadOnlyList<string> LabelsOf(BuildRecord build) =>
        build.Settings.Environment.Variables.LastOrDefault(v => v.Name == LabelsVariable && v.Type == EnvironmentVariable.Plaintext)?.Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    /// <summary>Whether an agent with <paramref name="labels"/> may run the build: it carries every label the build asks for.</summary>
    public static bool Accepts(IReadOnlyCollection<string> labels, BuildRecord build) => LabelsOf(build).All(labels.Contains);

    /// <summary>The server's own workers leave builds that ask for agent labels to agents.</summary>
    public static bool RunsOnServer(BuildRecord build) => LabelsOf(build).Count == 0;
}
