namespace Cairn.Core.Errors;

/// <summary>
/// CodeConnections and CodeStar connections (CodeConnections_20231201, CodeStar_connections_20191201) error codes and
/// texts, and the source action's failures that concern a connection. Texts marked "verify" are Cairn's wording: AWS's
/// code, with the value and the fix.
/// </summary>
public static partial class AwsErrors
{
    /// <summary>verify.</summary>
    public static AwsException ConnectionNotFound(string arn) =>
        new("ResourceNotFoundException", $"Connection {arn} does not exist in this account and region; aws codeconnections list-connections shows the ones that do.");

    /// <summary>verify.</summary>
    public static AwsException HostNotFound(string arn) =>
        new("ResourceNotFoundException", $"Host {arn} does not exist in this account and region; aws codeconnections list-hosts shows the ones that do.");

    /// <summary>verify.</summary>
    public static AwsException ConnectionResourceNotFound(string arn) =>
        new("ResourceNotFoundException", $"No connection or host has the ARN {arn} in this account and region.");

    /// <summary>verify.</summary>
    public static AwsException ConnectionNeedsProvider() =>
        new("InvalidInputException", "A connection needs a ProviderType (GitHub, GitLab or Bitbucket) or the HostArn of a host (for a self-managed server); give one of them.");

    /// <summary>verify.</summary>
    public static AwsException ConnectionProviderNeedsHost(string providerType) =>
        new("InvalidInputException", $"Provider type {providerType} lives on your own server: create a host for it first (aws codeconnections create-host --provider-type {providerType} --provider-endpoint URL) and pass its ARN as --host-arn.");

    /// <summary>verify.</summary>
    public static AwsException ConnectionProviderMismatch(string providerType, string hostProviderType) =>
        new("InvalidInputException", $"The connection's ProviderType {providerType} differs from its host's ({hostProviderType}); leave ProviderType out, the host's is used.");

    /// <summary>verify.</summary>
    public static AwsException HostEndpointInvalid(string endpoint) =>
        new("InvalidInputException", $"ProviderEndpoint '{endpoint}' is not a URL git can clone from: use https://host[:port][/path], ssh://..., or (Cairn's extension) file:///dir or an absolute directory path holding bare repositories.");

    /// <summary>verify.</summary>
    public static AwsException HostEndpointHasCredentials() =>
        new("InvalidInputException", "ProviderEndpoint must not carry a user name or password: Cairn stores and shows it as it is. Give the server's URL without credentials and let the Cairn host authenticate (a git credential helper or an SSH key).");

    /// <summary>verify.</summary>
    public static AwsException HostEndpointRefused(string refusal) =>
        new("InvalidInputException", $"ProviderEndpoint refused: {refusal}");

    /// <summary>verify.</summary>
    public static AwsException HostInUse(string arn, int connections) =>
        new("ResourceUnavailableException", $"Host {arn} still has {connections} connection(s): delete them first (aws codeconnections list-connections --host-arn-filter {arn}).");

    /// <summary>verify.</summary>
    public static AwsException ConnectionTagsLimit(int count) =>
        new("LimitExceededException", $"A connection or host may carry at most 200 tags, and this would give it {count}; remove some with untag-resource first.");

    /// <summary>verify.</summary>
    public static AwsException ConnectionReservedTagKey(string key) =>
        new("InvalidInputException", $"Invalid tag key '{key}': keys that start with 'aws:' are reserved for AWS's own tags.");

    /// <summary>verify.</summary>
    public static AwsException ConnectionsInvalidNextToken() =>
        new("InvalidInputException", "The NextToken is not one this service returned; start the listing again without it.");

    /// <summary>
    /// The pipeline's role may not use the connection: AWS's AccessDenied text, then the statement that grants it.
    /// </summary>
    public static AwsException UseConnectionDenied(string denial, string connectionArn, string roleArn) =>
        AccessDenied($"{denial}. A pipeline's source action uses its connection as the pipeline's role ({roleArn}); to allow it, add this statement "
            + $"to that role's policy: {{\"Effect\":\"Allow\",\"Action\":\"codestar-connections:UseConnection\",\"Resource\":\"{connectionArn}\"}}"
            + (connectionArn.Contains(":codeconnections:", StringComparison.Ordinal) ? " (or codeconnections:UseConnection)" : string.Empty));
}
