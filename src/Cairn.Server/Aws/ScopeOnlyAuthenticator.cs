using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Server.Aws;

/// <summary>TEMPORARY (replaced by the SigV4 verifier): reads the credential scope without checking the signature.</summary>
internal sealed class ScopeOnlyAuthenticator(ICredentialResolver credentials) : IRequestAuthenticator
{
    public async ValueTask<AuthenticatedRequest> AuthenticateAsync(AwsHttpRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var authorization = request.Header("Authorization") ?? throw AwsErrors.MissingAuthenticationToken();
        var start = authorization.IndexOf("Credential=", StringComparison.Ordinal) + "Credential=".Length;
        var end = authorization.IndexOf(',', start);
        var scope = authorization[start..end].Split('/');
        var credential = await credentials.FindAsync(scope[0], cancellationToken) ?? throw AwsErrors.UnrecognizedClient();
        return new AuthenticatedRequest(credential, scope[2], scope[3]);
    }
}
