namespace Cairn.Runner.Agents;

/// <summary>The server refused an agent call: its error code (LeaseLost, AgentRevoked, ...), message and HTTP status.</summary>
public sealed class AgentRequestException(string code, string message, int status) : Exception(message)
{
    public string Code { get; } = code;

    public int Status { get; } = status;

    /// <summary>The agent no longer holds the build (409): it must drop it and report nothing more.</summary>
    public bool IsLeaseLost => Status == 409 && Code == "LeaseLost";

    /// <summary>The build cannot be reported any more: the lease is lost, or the agent itself was revoked or is unknown.</summary>
    public bool EndsTheBuild => IsLeaseLost || Status is 401 or 403;
}
