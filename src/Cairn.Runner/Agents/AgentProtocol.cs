using System.Text.Json;

namespace Cairn.Runner.Agents;

/// <summary>
/// The HTTP protocol between `cairn agent` and a Cairn server: paths, the header carrying the agent's credentials and the
/// JSON settings every message (the Agent* records, plain data only) is written with.
/// </summary>
public static class AgentProtocol
{
    public const string PathPrefix = "/_cairn/agents";
    public const string RegisterPath = PathPrefix + "/register";
    public const string ClaimPath = PathPrefix + "/claim";
    public const string AdminPath = PathPrefix + "/admin";

    /// <summary>Per-build paths: <c>/_cairn/agents/builds/&lt;uuid&gt;/{log,heartbeat,complete}</c>.</summary>
    public const string BuildsPath = PathPrefix + "/builds/";

    /// <summary>An agent authenticates each call with <c>Authorization: CairnAgent &lt;agent id&gt;:&lt;agent secret&gt;</c>.</summary>
    public const string AuthorizationScheme = "CairnAgent";

    /// <summary>The X-Amz-Target prefix of the admin operations (SigV4-signed, authorized by IAM).</summary>
    public const string AdminTargetPrefix = "CairnAgents.";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
