using Cairn.Core.Identity;

namespace Cairn.Server.Hosting;

/// <summary>Knows the root user's access key. IAM users and STS sessions are added by the identity module.</summary>
internal sealed class RootCredentialResolver(RootCredentials root, CairnServerOptions options) : ICredentialResolver
{
    private readonly SigningCredential _root = new(root.AccessKeyId, root.SecretAccessKey, Principal.Root(options.AccountId));

    public ValueTask<SigningCredential?> FindAsync(string accessKeyId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(accessKeyId == _root.AccessKeyId ? _root : null);
}
