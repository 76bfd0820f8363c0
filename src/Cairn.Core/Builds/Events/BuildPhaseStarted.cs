namespace Cairn.Core.Builds.Events;

/// <summary>A phase (a <see cref="BuildPhaseTypes"/> value) began; the one before it has ended. <see cref="FirstLogLine"/>: the index its first log line gets.</summary>
public sealed record BuildPhaseStarted(DateTimeOffset Time, string PhaseType, long? FirstLogLine = null) : BuildEvent(Time);
