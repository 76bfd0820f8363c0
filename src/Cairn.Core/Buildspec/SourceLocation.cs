namespace Cairn.Core.Buildspec;

/// <summary>A 1-based line and column in the buildspec source text.</summary>
public readonly record struct SourceLocation(int Line, int Column)
{
    public static SourceLocation None => default;

    public override string ToString() => $"{Line}:{Column}";
}
