using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Server.Aws.SigV4;

/// <summary>
/// The server's <see cref="IRequestAuthenticator"/>: parses the request's SigV4 claim, finds the access key, and
/// verifies the signature. The credential scope's region and service are what the request is for.
/// </summary>
public sealed class SigV4Authenticator(ICredentialResolver credentials) : IRequestAuthenticator
{
    private readonly SigV4Verifier _verifier = new();

    public async ValueTask<AuthenticatedRequest> AuthenticateAsync(AwsHttpRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var authorization = SigV4Parser.Parse(request);
        var credential = await credentials.FindAsync(authorization.AccessKeyId, cancellationToken)
            ?? throw AwsErrors.InvalidClientToken(authorization.Protocol);
        _verifier.Verify(request, authorization, credential, now);
        return new AuthenticatedRequest(credential, authorization.Region, authorization.Service);
    }
}
