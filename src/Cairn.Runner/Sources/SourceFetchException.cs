namespace Cairn.Runner.Sources;

/// <summary>The source could not be fetched; <see cref="Exception.Message"/> is CodeBuild's phase context message.</summary>
public sealed class SourceFetchException(string message, string? hint = null) : Exception(message)
{
    /// <summary>CodeBuild's phase context status code for source failures.</summary>
    public const string StatusCode = "CLIENT_ERROR";

    /// <summary>What to do about it, when known.</summary>
    public string? Hint { get; } = hint;
}
