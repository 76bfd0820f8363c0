namespace Cairn.Core.Buildspec;

/// <summary>
/// One entry of a phase's <c>commands</c> or <c>finally</c> list. <see cref="Location"/> is where the entry starts
/// (for a <c>|</c> block, the indicator's position; its text starts on the next line).
/// </summary>
public sealed record BuildspecCommand(string Text, SourceLocation Location, bool IsBlock = false)
{
    public override string ToString() => Text;
}
