namespace Cairn.Runner.Agents;

/// <summary>The build role's temporary credentials (STS), the only AWS credentials an agent is ever given.</summary>
public sealed record AgentCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration);
