namespace Cairn.Core.Builds.Events;

/// <summary>A phase (a <see cref="BuildPhaseTypes"/> value) began; the one before it has ended.</summary>
public sealed record BuildPhaseStarted(DateTimeOffset Time, string PhaseType) : BuildEvent(Time);
