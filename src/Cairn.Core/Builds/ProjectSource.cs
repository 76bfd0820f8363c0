namespace Cairn.Core.Builds;

/// <summary>Where a build's source comes from (the parts of CodeBuild's ProjectSource that Cairn acts on).</summary>
/// <param name="Location">A git URL (https, ssh, file://) or, as Cairn's extension, an absolute path to a local directory.</param>
/// <param name="Buildspec">Inline buildspec YAML, or a path to one inside the source; null means buildspec.yml at the root.</param>
/// <param name="GitCloneDepth">0 or null: full clone.</param>
public sealed record ProjectSource(string Type, string? Location, string? Buildspec, int? GitCloneDepth = null, bool InsecureSsl = false);
