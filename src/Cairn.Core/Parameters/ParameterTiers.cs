namespace Cairn.Core.Parameters;

/// <summary>Parameter tiers and what each allows.</summary>
public static class ParameterTiers
{
    public const string Standard = "Standard";
    public const string Advanced = "Advanced";
    public const string IntelligentTiering = "Intelligent-Tiering";

    public const int StandardMaxValueLength = 4096;
    public const int AdvancedMaxValueLength = 8192;

    /// <summary>Parameters per account and region.</summary>
    public const int StandardLimit = 10_000;
    public const int AdvancedLimit = 100_000;

    public static readonly IReadOnlyList<string> EnumOrder = [Standard, Advanced, IntelligentTiering];

    public static bool IsValid(string? tier) => tier is Standard or Advanced or IntelligentTiering;
}
