namespace Cairn.Application.Identity.Authorization;

/// <summary>A statement of a policy in force: IAM's SourcePolicyId and SourcePolicyType, its Sid or position, its text.</summary>
/// <param name="Index">Zero-based position in the document's Statement list.</param>
/// <param name="Text">The statement as written in the document, indented.</param>
public sealed record MatchedStatement(string PolicyId, string SourceType, string? Sid, int Index, string Text)
{
    /// <summary>The Sid, or the statement's position (<c>Statement[0]</c>).</summary>
    public string DisplayName => Sid is { Length: > 0 } ? Sid : $"Statement[{Index}]";
}
