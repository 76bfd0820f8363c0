namespace Cairn.Core.Buildspec;

/// <summary>
/// Parses buildspec YAML (versions 0.2 and 0.1) the way CodeBuild reads it. Only what CodeBuild rejects is an
/// error here; what it silently ignores (unknown keys, ...) is the linter's business (<see cref="BuildspecLinter"/>).
/// </summary>
public static class BuildspecParser
{
    public static BuildspecParseResult Parse(string yaml)
    {
        var reader = BuildspecReader.Read(yaml);
        var errors = reader.Fatal.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ToList();
        return errors.Count > 0 || reader.Document is null
            ? new BuildspecParseResult(null, errors) { Yaml = yaml }
            : new BuildspecParseResult(reader.Document, []) { Yaml = yaml };
    }

    /// <summary>The document, or a <see cref="BuildspecException"/> carrying CodeBuild's status code and message.</summary>
    public static BuildspecDocument ParseOrThrow(string yaml)
    {
        var result = Parse(yaml);
        return result.Document ?? throw new BuildspecException(result.Errors);
    }
}
