namespace Cairn.Runner.Builds;

/// <summary>
/// The outcome of <see cref="IBuildSecretSource.GetSecretValueAsync"/>: the secret's string (or its binary as base64),
/// a denial, or Secrets Manager's error (code and text).
/// </summary>
public sealed record SecretsManagerLookup(string? Value, AccessDenial? Denied = null, string? ErrorCode = null, string? ErrorMessage = null)
{
    public static SecretsManagerLookup Deny(AccessDenial denial) => new(null, denial);

    public static SecretsManagerLookup Fail(string code, string message) => new(null, null, code, message);
}
