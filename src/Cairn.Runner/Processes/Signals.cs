namespace Cairn.Runner.Processes;

/// <summary>Linux signal numbers used to stop a build's processes.</summary>
public static class Signals
{
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int Terminate = 15;
}
