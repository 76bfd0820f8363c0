namespace Cairn.Core.Buildspec;

/// <summary>A string from the buildspec together with where it was written.</summary>
public sealed record LocatedValue(string Value, SourceLocation Location)
{
    public override string ToString() => Value;
}
