namespace Cairn.Runner.Builds;

/// <summary>A phase's context as CodeBuild reports it; both empty when the phase succeeded.</summary>
public sealed record PhaseContext(string StatusCode, string Message)
{
    public static PhaseContext None { get; } = new("", "");
}
