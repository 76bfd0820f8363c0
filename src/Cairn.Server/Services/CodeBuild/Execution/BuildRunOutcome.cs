using Cairn.Core.Builds;

namespace Cairn.Server.Services.CodeBuild.Execution;

/// <summary>What the runner did: the build's status and the phases from DOWNLOAD_SOURCE to FINALIZING, as they ran.</summary>
internal sealed record BuildRunOutcome(string Status, IReadOnlyList<BuildPhaseRecord> Phases, IReadOnlyList<ExportedVariable> ExportedVariables);
