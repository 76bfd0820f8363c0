namespace Cairn.Core.Builds.Events;

/// <summary>The buildspec's env.exported-variables, read from the shell after the last command phase.</summary>
public sealed record BuildVariablesExported(DateTimeOffset Time, IReadOnlyList<ExportedVariable> Variables) : BuildEvent(Time);
