namespace Cairn.Core.Builds;

/// <summary>A project (or StartBuild override) environment variable: PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER.</summary>
/// <param name="Value">The value itself for PLAINTEXT; the parameter name for PARAMETER_STORE; the secret reference for SECRETS_MANAGER.</param>
public sealed record EnvironmentVariable(string Name, string Value, string Type = EnvironmentVariable.Plaintext)
{
    public const string Plaintext = "PLAINTEXT";
    public const string ParameterStore = "PARAMETER_STORE";
    public const string SecretsManager = "SECRETS_MANAGER";
}
