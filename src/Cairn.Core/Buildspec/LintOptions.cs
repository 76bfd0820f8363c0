namespace Cairn.Core.Buildspec;

/// <summary>What the linter may look at besides the buildspec text.</summary>
public sealed record LintOptions
{
    public static LintOptions Default { get; } = new();

    /// <summary>The source root (CODEBUILD_SRC_DIR) that relative paths in commands are checked against; null skips those checks.</summary>
    public string? SourceDirectory { get; init; }

    /// <summary>A reachable Parameter Store; null skips the "parameter does not exist" check.</summary>
    public IParameterExistence? Parameters { get; init; }

    /// <summary>The account's naming rules (or `--naming-rule`'s); null skips the check of referenced names against them.</summary>
    public IReadOnlyList<Parameters.Naming.NamingRule>? NamingRules { get; init; }

    /// <summary>Variables defined outside the buildspec (the project's, a StartBuild override's): not reported as undefined.</summary>
    public IReadOnlyCollection<string> KnownVariables { get; init; } = [];
}
