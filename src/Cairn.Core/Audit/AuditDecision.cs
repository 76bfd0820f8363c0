namespace Cairn.Core.Audit;

/// <summary>One authorization check made while serving a request.</summary>
public sealed record AuditDecision(string Action, string Resource, bool Allowed);
