namespace Cairn.Application.Identity.Authorization;

/// <summary>An Allow statement that matched the action and resource but not its conditions: the first clause that fails (<c>Operator key</c>).</summary>
public sealed record UnmetStatement(MatchedStatement Statement, string FailingCondition);
