namespace Cairn.Core.Parameters;

/// <summary>One ParameterFilters entry: <c>tag:k</c>, Name, Type, KeyId, Path, Label, Tier or DataType.</summary>
/// <param name="Option">Equals, BeginsWith, Contains (Name), Recursive or OneLevel (Path); null means the key's default.</param>
public sealed record ParameterStringFilter(string Key, string? Option, IReadOnlyList<string> Values)
{
    public const string OptionEquals = "Equals";
    public const string OptionBeginsWith = "BeginsWith";
    public const string OptionContains = "Contains";
    public const string OptionRecursive = "Recursive";
    public const string OptionOneLevel = "OneLevel";

    public string EffectiveOption => Option ?? (Key == "Path" ? OptionOneLevel : OptionEquals);

    public bool IsTag => Key.StartsWith("tag:", StringComparison.Ordinal);

    public string TagKey => Key["tag:".Length..];
}
