namespace Cairn.Core.Errors;

/// <summary>
/// A failure the caller sees as an AWS error: a wire code (<c>__type</c> / <c>Code</c>), a message and an HTTP status.
/// Services throw it; only the protocol codecs turn it into bytes.
/// </summary>
public class AwsException(string code, string message, int httpStatus = 400, bool isSender = true) : Exception(message)
{
    public string Code { get; } = code;

    public int HttpStatus { get; } = httpStatus;

    /// <summary>Query protocol's <c>Type</c>: Sender for the caller's fault, Receiver for ours.</summary>
    public bool IsSender { get; } = isSender;

    /// <summary>An authorization refusal in either protocol: JSON's AccessDeniedException or Query's AccessDenied.</summary>
    public bool IsAccessDenied => Code is "AccessDeniedException" or "AccessDenied";
}
