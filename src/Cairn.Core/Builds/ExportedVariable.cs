namespace Cairn.Core.Builds;

/// <summary>A variable named in the buildspec's env.exported-variables, with its value at the end of the build.</summary>
public sealed record ExportedVariable(string Name, string Value);
