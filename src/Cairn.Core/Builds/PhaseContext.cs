namespace Cairn.Core.Builds;

/// <summary>One phase context: CodeBuild's status code (e.g. COMMAND_EXECUTION_ERROR, empty on success) and message.</summary>
public sealed record PhaseContext(string StatusCode, string Message)
{
    /// <summary>What CodeBuild records for a phase that succeeded.</summary>
    public static PhaseContext None { get; } = new(string.Empty, string.Empty);
}
