namespace Cairn.Runner.Builds;

/// <summary>A policy statement that grants a denied action (JSON, indented) and the aws command that adds it, when there is one.</summary>
public sealed record GrantingStatement(string Statement, string? Command);
