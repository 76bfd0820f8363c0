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

    /// <summary>
    /// Per-build paths: <c>/_cairn/agents/builds/&lt;uuid&gt;/{log,heartbeat,complete}</c> (JSON), <c>input</c> (JSON in, a
    /// pipeline input artifact out as a gzipped tar) and <c>artifacts</c> (the packaged artifacts in as a gzipped tar, the
    /// lease token in <see cref="LeaseHeader"/>).
    /// </summary>
    public const string BuildsPath = PathPrefix + "/builds/";

    /// <summary>The header carrying the build's lease token on a call whose body is not JSON.</summary>
    public const string LeaseHeader = "X-Cairn-Lease-Token";

    /// <summary>The media type of the gzipped tars agents and servers exchange (<c>Cairn.Core.Archives.TarArchives</c>).</summary>
    public const string ArchiveMediaType = "application/gzip";

    /// <summary>An agent authenticates each call with <c>Authorization: CairnAgent &lt;agent id&gt;:&lt;agent secret&gt;</c>.</summary>
    public const string AuthorizationScheme = "CairnAgent";

    /// <summary>The X-Amz-Target prefix of the admin operations (SigV4-signed, authorized by IAM).</summary>
    public const string AdminTargetPrefix = "CairnAgents.";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);
}
