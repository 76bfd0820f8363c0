namespace Cairn.Application.Pipelines.Actions.CodeBuild;

/// <summary>How the CodeBuild action follows its build.</summary>
/// <param name="BuildLink">The link shown for a build id (the server's live log of it), or null when there is none.</param>
public sealed record CodeBuildActionSettings(Func<string, string?> BuildLink)
{
    /// <summary>The longest wait between two reads of the build: any build ending in this process wakes the action at once, so this paces only builds run by another server.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the build may stay unreadable because the database does not answer before the action fails.</summary>
    public TimeSpan OutageTolerance { get; init; } = TimeSpan.FromMinutes(10);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
