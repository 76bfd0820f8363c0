namespace Cairn.Core.Parameters;

/// <summary>One parameter policy as DescribeParameters reports it: its type and its JSON text.</summary>
public sealed record ParameterPolicy(string Type, string Text);
