namespace Cairn.Core.Identity.Policies;

/// <summary>One piece of a compiled wildcard pattern: a literal run, <c>*</c> or <c>?</c>.</summary>
internal readonly record struct PatternToken(PatternTokenKind Kind, string Text)
{
    public static readonly PatternToken Star = new(PatternTokenKind.Star, "*");
    public static readonly PatternToken Question = new(PatternTokenKind.Question, "?");

    public static PatternToken Literal(string text) => new(PatternTokenKind.Literal, text);
}

internal enum PatternTokenKind
{
    Literal,
    Star,
    Question,
}
