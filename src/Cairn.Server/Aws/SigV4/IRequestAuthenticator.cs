using Cairn.Core.Identity;

namespace Cairn.Server.Aws.SigV4;

/// <summary>Verifies a request's SigV4 signature (header or presigned query); throws the AWS auth error when it fails.</summary>
public interface IRequestAuthenticator
{
    ValueTask<AuthenticatedRequest> AuthenticateAsync(AwsHttpRequest request, DateTimeOffset now, CancellationToken cancellationToken);
}
