namespace Cairn.Application.Parameters;

/// <summary>What GetParameters found, in the order asked, and the names (as asked) it did not find.</summary>
public sealed record ParameterRead(IReadOnlyList<ResolvedValue> Found, IReadOnlyList<string> Invalid);
