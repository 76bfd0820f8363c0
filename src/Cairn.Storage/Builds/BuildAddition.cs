using Cairn.Core.Builds;

namespace Cairn.Storage.Builds;

/// <summary>What <see cref="IBuildStore.AddBuildAsync"/> did: stored <see cref="Build"/>, or found it by its idempotency token.</summary>
public sealed record BuildAddition(BuildRecord Build, bool Existing);
