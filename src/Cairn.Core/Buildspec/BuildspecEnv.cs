namespace Cairn.Core.Buildspec;

/// <summary>The <c>env</c> section (<c>environment_variables</c>/<c>plaintext</c> in version 0.1).</summary>
public sealed record BuildspecEnv
{
    public static BuildspecEnv Empty { get; } = new();

    /// <summary><c>bash</c> or <c>/bin/sh</c> on Linux; null means sh.</summary>
    public string? Shell { get; init; }

    public IReadOnlyList<BuildspecVariable> Variables { get; init; } = [];

    public IReadOnlyList<ParameterStoreVariable> ParameterStore { get; init; } = [];

    public IReadOnlyList<SecretsManagerVariable> SecretsManager { get; init; } = [];

    /// <summary>Names exported at the end of the build.</summary>
    public IReadOnlyList<LocatedValue> ExportedVariables { get; init; } = [];

    public bool? GitCredentialHelper { get; init; }

    public SourceLocation Location { get; init; }
}
