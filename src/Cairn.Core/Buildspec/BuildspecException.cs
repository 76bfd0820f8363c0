namespace Cairn.Core.Buildspec;

/// <summary>
/// A buildspec CodeBuild cannot run. <see cref="StatusCode"/> and <see cref="Exception.Message"/> are what the
/// DOWNLOAD_SOURCE phase context shows ("YAML_FILE_ERROR", "... at line 3").
/// </summary>
public sealed class BuildspecException : Exception
{
    public BuildspecException(IReadOnlyList<BuildspecDiagnostic> errors)
        : base(errors.Count > 0 ? errors[0].Message : "invalid buildspec")
    {
        Errors = errors;
    }

    public BuildspecException()
        : this([])
    {
    }

    public BuildspecException(string message)
        : base(message)
    {
        Errors = [];
    }

    public BuildspecException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<BuildspecDiagnostic> Errors { get; }

    public string StatusCode => Errors.Count > 0 ? Errors[0].AwsStatusCode ?? BuildspecDiagnosticCodes.YamlFileError : BuildspecDiagnosticCodes.YamlFileError;

    public SourceLocation Location => Errors.Count > 0 ? Errors[0].Location : SourceLocation.None;

    /// <summary>A plain-words fix for the first error.</summary>
    public string? Hint => Errors.Count > 0 ? Errors[0].Hint : null;
}
