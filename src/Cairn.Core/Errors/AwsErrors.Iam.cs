namespace Cairn.Core.Errors;

/// <summary>IAM and STS error codes and texts (Query protocol: the code is the wire Code, statuses from the IAM model).</summary>
public static partial class AwsErrors
{
    public static AwsException MalformedPolicyDocument(string message) => new("MalformedPolicyDocument", message);

    public static AwsException NoSuchEntity(string message) => new("NoSuchEntity", message, 404);

    public static AwsException EntityAlreadyExists(string message) => new("EntityAlreadyExists", message, 409);

    public static AwsException LimitExceeded(string message) => new("LimitExceeded", message, 409);

    public static AwsException InvalidInput(string message) => new("InvalidInput", message);

    public static AwsException DeleteConflict(string message) => new("DeleteConflict", message, 409);

    public static AwsException UnmodifiableEntity(string message) => new("UnmodifiableEntity", message);

    /// <summary>The Query protocol's ValidationError (IAM/STS member constraints), not JSON's ValidationException.</summary>
    public static AwsException QueryValidation(string value, string member, string constraint) =>
        new("ValidationError", $"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}");

    public static AwsException MissingParameter(string name) =>
        new("MissingParameter", $"The request must contain the parameter {name}");

    /// <summary>IAM's and STS's AccessDenied (Query protocol code, HTTP 403).</summary>
    public static AwsException QueryAccessDenied(string message) => new("AccessDenied", message, 403);
}
