namespace Cairn.Core.Identity.Policies;

/// <summary>What is being decided: an action (<c>ssm:GetParameters</c>) on a resource ARN, with the request's condition keys.</summary>
public sealed record PolicyRequest(string Action, string Resource, ConditionContext Context);
