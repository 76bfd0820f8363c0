namespace Cairn.Cli.Builds;

/// <summary>An AWS error response: its code (AccessDeniedException, ParameterNotFound, ...) and message.</summary>
internal sealed class AwsApiException(string code, string message, int statusCode) : Exception(message)
{
    public string Code { get; } = code;

    public int StatusCode { get; } = statusCode;

    public bool IsAccessDenied => Code is "AccessDeniedException" or "AccessDenied";
}
