namespace Cairn.Core.Builds.Events;

/// <summary>A phase ended: <see cref="Phase"/> carries its status, times, context and Cairn's hint, all masked.</summary>
public sealed record BuildPhaseEnded(DateTimeOffset Time, BuildPhaseRecord Phase) : BuildEvent(Time);
