namespace Cairn.Runner.Builds;

/// <summary>Who and what a build is: project, id (<c>project:uuid</c>), number and initiator.</summary>
public sealed record BuildIdentity(string ProjectName, string BuildId, long BuildNumber, string Initiator)
{
    /// <summary>A new identity with a fresh build id.</summary>
    public static BuildIdentity New(string projectName, long buildNumber, string initiator) =>
        new(projectName, $"{projectName}:{Guid.NewGuid()}", buildNumber, initiator);

    /// <summary>The uuid part of the build id (also the log stream name).</summary>
    public string Uuid => BuildId.Contains(':', StringComparison.Ordinal) ? BuildId[(BuildId.LastIndexOf(':') + 1)..] : BuildId;
}
