using Cairn.Core.Identity;

namespace Cairn.Server.Tests.SigV4;

internal sealed class FixedCredentials(params SigningCredential[] credentials) : ICredentialResolver
{
    public ValueTask<SigningCredential?> FindAsync(string accessKeyId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(credentials.FirstOrDefault(c => c.AccessKeyId == accessKeyId));
}
