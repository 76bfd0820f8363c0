namespace Cairn.Core.Identity;

/// <summary>An access key the SigV4 verifier can check a signature against, and the principal it stands for.</summary>
/// <param name="SessionToken">Set for temporary (STS) credentials: the request must carry the same token.</param>
public sealed record SigningCredential(
    string AccessKeyId,
    string SecretAccessKey,
    Principal Principal,
    string? SessionToken = null,
    DateTimeOffset? Expiration = null,
    bool Active = true);
