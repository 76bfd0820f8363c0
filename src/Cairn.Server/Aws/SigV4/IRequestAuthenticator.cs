using Cairn.Core.Identity;

namespace Cairn.Server.Aws;

/// <summary>The outcome of checking a request's signature: who signed it, for which region and service.</summary>
public sealed record AuthenticatedRequest(SigningCredential Credential, string Region, string Service);

/// <summary>Verifies a request's SigV4 signature (header or presigned query); throws the AWS auth error when it fails.</summary>
public interface IRequestAuthenticator
{
    ValueTask<AuthenticatedRequest> AuthenticateAsync(AwsHttpRequest request, DateTimeOffset now, CancellationToken cancellationToken);
}
