namespace Cairn.Core.Buildspec;

/// <summary>
/// The outcome of <see cref="BuildspecParser.Parse"/>: the document, or the errors CodeBuild would fail the build
/// with (YAML_FILE_ERROR in DOWNLOAD_SOURCE). Exactly one of the two is present.
/// </summary>
public sealed record BuildspecParseResult(BuildspecDocument? Document, IReadOnlyList<BuildspecDiagnostic> Errors)
{
    public bool Succeeded => Document is not null;

    /// <summary>The YAML this was parsed from, so a build can lint it too; null when the result was made by hand.</summary>
    public string? Yaml { get; init; }
}
