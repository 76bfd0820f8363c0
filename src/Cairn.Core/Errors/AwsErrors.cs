namespace Cairn.Core.Errors;

/// <summary>
/// The one table of AWS error codes and texts. Each service adds its own part in AwsErrors.&lt;Service&gt;.cs;
/// these are the ones every protocol shares.
/// </summary>
public static partial class AwsErrors
{
    public static AwsException Validation(string message) => new("ValidationException", message);

    public static AwsException Serialization(string message) => new("SerializationException", message);

    public static AwsException SerializationDuplicateKey(string key) =>
        Serialization($"Duplicate member '{key}' in the request body: each member may appear only once.");

    public static AwsException SerializationInvalidUtf8() =>
        Serialization("The request body is not valid UTF-8 (a stray, overlong, surrogate or truncated byte sequence).");

    public static AwsException SerializationInvalidString() =>
        Serialization("A string in the request body is not valid Unicode (a lone surrogate escape such as \\ud800).");

    /// <summary>AWS sends no message; Cairn names the operation and lists the ones it serves.</summary>
    public static AwsException UnknownOperation(string service, string operation, IEnumerable<string> served) =>
        new("UnknownOperationException", $"Cairn's {service} does not serve {operation}. It serves: {string.Join(", ", served.Order(StringComparer.Ordinal))}.");

    /// <summary>A service Cairn does not serve at all (CodePipeline, S3, ...): AWS has no such case, so the code is JSON's unknown-operation one.</summary>
    public static AwsException UnknownService(string service, string operation, IEnumerable<string> served) =>
        new("UnknownOperationException",
            $"Cairn does not serve {service} (asked for {operation}). It serves {string.Join(", ", served)} on this endpoint; use AWS itself for {service}.");

    /// <summary>AWS's text ("Could not find operation X for version 2010-05-08"), then what Cairn serves.</summary>
    public static AwsException InvalidAction(string service, string action, string version, IEnumerable<string> served) =>
        new("InvalidAction",
            $"Could not find operation {action} for version {version}. Cairn's {service} serves: {string.Join(", ", served.Order(StringComparer.Ordinal))}.", 400);

    public static AwsException MissingAuthenticationToken() =>
        new("MissingAuthenticationTokenException", "Missing Authentication Token", 403);

    public static AwsException IncompleteSignature(string message) => new("IncompleteSignatureException", message, 403);

    public static AwsException UnrecognizedClient() =>
        new("UnrecognizedClientException", "The security token included in the request is invalid.");

    public static AwsException InvalidClientTokenId() =>
        new("InvalidClientTokenId", "The security token included in the request is invalid.", 403);

    public static AwsException InvalidSignature() =>
        new("InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");

    public static AwsException SignatureExpired(string message) => new("InvalidSignatureException", message);

    public static AwsException ExpiredToken() =>
        new("ExpiredTokenException", "The security token included in the request is expired");

    public static AwsException RequestTooLarge(long limit) =>
        new("RequestEntityTooLarge", $"Request body exceeds the maximum of {limit} bytes.", 413);

    /// <summary>The body arrived too slowly (AWS's text for an idle socket, with what Cairn requires).</summary>
    public static AwsException RequestTimeout(double? minimumBytesPerSecond, TimeSpan timeout) =>
        new("RequestTimeout",
            "Your socket connection to the server was not read from or written to within the timeout period. Send the whole request body within "
            + FormattableString.Invariant($"{timeout.TotalSeconds:0.#} seconds")
            + (minimumBytesPerSecond is { } rate ? FormattableString.Invariant($", at no less than {rate:0.#} bytes a second.") : "."),
            408);

    public static AwsException MalformedBody() =>
        new("SerializationException", "The request body could not be read: its framing (Content-Length or chunked encoding) is malformed.");

    public static AwsException AccessDenied(string message) => new("AccessDeniedException", message);

    public static AwsException Internal(string message = "An internal error occurred.") =>
        new("InternalServerError", message, 500, isSender: false);

    /// <summary>
    /// The database went away under a request (a PostgreSQL primary stopped or failing over, a dropped connection): 503,
    /// which every AWS SDK retries, instead of a 500 that reads as a bug.
    /// </summary>
    public static AwsException DatabaseUnavailable(string reason) =>
        new("ServiceUnavailable",
            $"Cairn could not reach its database ({reason}). The request may not have been carried out: retry it (the AWS SDKs and "
            + "the aws CLI retry this answer by themselves). If it persists, check the database server and the connection string given to cairn serve.",
            503, isSender: false);
}
