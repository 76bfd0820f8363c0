namespace Cairn.Core.Buildspec;

public enum BuildspecVersion
{
    /// <summary>0.1: every command runs in its own shell instance; cd and export do not carry over.</summary>
    V0_1,

    /// <summary>0.2: all commands of all phases share one shell instance.</summary>
    V0_2,
}
