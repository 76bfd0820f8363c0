using Cairn.Core.Builds;

namespace Cairn.Storage.Builds;

/// <summary>
/// A build out of QUEUED and not complete, with who runs it: <paramref name="Runner"/> is the claiming process's identity
/// (null for builds claimed before runners were recorded) and <paramref name="RunnerSeenAt"/> its last heartbeat.
/// </summary>
public sealed record RunningBuild(BuildRecord Build, string? Runner, DateTimeOffset? RunnerSeenAt);
