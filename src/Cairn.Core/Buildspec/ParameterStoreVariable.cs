namespace Cairn.Core.Buildspec;

/// <summary>An env.parameter-store entry: the variable <see cref="Name"/> gets the value of <see cref="ParameterName"/>.</summary>
public sealed record ParameterStoreVariable(string Name, string ParameterName, SourceLocation Location);
