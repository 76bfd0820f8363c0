namespace Cairn.Core.Buildspec;

/// <summary>The buildspec phases, in the order CodeBuild runs them.</summary>
public enum BuildspecPhaseName
{
    Install,
    PreBuild,
    Build,
    PostBuild,
}
