namespace Cairn.Application.Pipelines.Actions.CodeBuild;

/// <summary>How the CodeBuild action follows its build.</summary>
/// <param name="BuildLink">The link shown for a build id (the server's live log of it), or null when there is none.</param>
public sealed record CodeBuildActionSettings(Func<string, string?> BuildLink)
{
    /// <summary>How often a build that is queued, or runs in another server, is read again; a build running here wakes the action when it ends.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}
