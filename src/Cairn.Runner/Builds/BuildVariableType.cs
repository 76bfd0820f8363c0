namespace Cairn.Runner.Builds;

/// <summary>The type of a project or StartBuild environment variable, as in CodeBuild's EnvironmentVariable.</summary>
public enum BuildVariableType
{
    /// <summary>The value is used as is.</summary>
    Plaintext,

    /// <summary>The value names a Parameter Store parameter whose (decrypted) value is used and masked.</summary>
    ParameterStore,

    /// <summary>The value names a Secrets Manager secret; Cairn does not support it yet.</summary>
    SecretsManager,
}
