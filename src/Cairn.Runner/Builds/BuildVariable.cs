namespace Cairn.Runner.Builds;

/// <summary>A project or StartBuild-override environment variable (CodeBuild's EnvironmentVariable shape).</summary>
public sealed record BuildVariable(string Name, string Value, BuildVariableType Type = BuildVariableType.Plaintext);
