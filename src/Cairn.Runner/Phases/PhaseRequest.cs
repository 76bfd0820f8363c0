namespace Cairn.Runner.Phases;

/// <summary>One phase to run: its CodeBuild name (INSTALL, PRE_BUILD, BUILD, POST_BUILD), commands, finally commands.</summary>
public sealed record PhaseRequest(string Name, IReadOnlyList<string> Commands, IReadOnlyList<string> FinallyCommands)
{
    public PhaseRequest(string name, IReadOnlyList<string> commands)
        : this(name, commands, [])
    {
    }
}
