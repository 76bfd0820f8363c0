namespace Cairn.Runner.Sources;

/// <summary>The source could not be fetched; <see cref="Exception.Message"/> is CodeBuild's phase context message.</summary>
public sealed class SourceFetchException(string message, string? hint = null) : Exception(message)
{
    /// <summary>CodeBuild's phase context status code for source failures.</summary>
    public const string StatusCode = "CLIENT_ERROR";

    /// <summary>What to do about it, when known.</summary>
    public string? Hint { get; } = hint;

    /// <summary>A CODEPIPELINE source on a build no pipeline started (no input artifacts), on the server or an agent.</summary>
    public static SourceFetchException NotFromPipeline() => new(
        "CODEPIPELINE source is only available to builds a pipeline starts",
        "run this project from a pipeline's CodeBuild action, or start it with sourceTypeOverride and sourceLocationOverride naming a git repository or a directory.");

    /// <summary>CodeBuild's variable for a secondary source (or a pipeline build's input artifact after the first) named <paramref name="name"/>.</summary>
    public static string SecondarySourceVariable(string name) => "CODEBUILD_SRC_DIR_" + name;
}
