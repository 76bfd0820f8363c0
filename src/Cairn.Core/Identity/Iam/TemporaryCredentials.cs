namespace Cairn.Core.Identity.Iam;

/// <summary>What AssumeRole hands out: STS's Credentials plus AssumedRoleUser.</summary>
public sealed record TemporaryCredentials(
    string AccessKeyId,
    string SecretAccessKey,
    string SessionToken,
    DateTimeOffset Expiration,
    string AssumedRoleArn,
    string AssumedRoleId);
