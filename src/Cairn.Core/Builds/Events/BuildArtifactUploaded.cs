namespace Cairn.Core.Builds.Events;

/// <summary>UPLOAD_ARTIFACTS wrote an artifact: its name (the identifier of a secondary one), where it is, how many files.</summary>
public sealed record BuildArtifactUploaded(DateTimeOffset Time, string Name, string Location, int FileCount) : BuildEvent(Time);
