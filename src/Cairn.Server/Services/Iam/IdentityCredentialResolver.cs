using Cairn.Application.Identity.Authorization;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Server.Hosting;

namespace Cairn.Server.Services.Iam;

/// <summary>
/// Finds the secret behind an access key id: the root key from RootCredentials, IAM users' keys (AKIA...), and
/// STS session keys (ASIA..., with their session token and expiry for the signature verifier to check).
/// </summary>
internal sealed class IdentityCredentialResolver(RootCredentials root, CairnServerOptions options, IdentityDirectory directory) : ICredentialResolver
{
    private readonly SigningCredential _root = new(root.AccessKeyId, root.SecretAccessKey, Principal.Root(options.AccountId));

    public async ValueTask<SigningCredential?> FindAsync(string accessKeyId, CancellationToken cancellationToken)
    {
        if (accessKeyId == _root.AccessKeyId)
        {
            return _root;
        }

        if (accessKeyId.StartsWith("ASIA", StringComparison.Ordinal))
        {
            var session = await directory.FindSessionAsync(accessKeyId, cancellationToken);
            if (session is null)
            {
                return null;
            }

            // GetSessionToken's credentials go with their user, as its access keys do (a new user of the same name is another user).
            if (session.IsSessionToken && session.RoleName.Length > 0
                && !string.Equals((await directory.ForEntityAsync(IamEntityKind.User, session.AccountId, session.RoleName, cancellationToken)).EntityId,
                    session.AssumedRoleId, StringComparison.Ordinal))
            {
                return null;
            }

            return new SigningCredential(session.AccessKeyId, session.SecretAccessKey, session.ToPrincipal(), session.SessionToken, session.Expiration);
        }

        var (key, user) = await directory.FindAccessKeyAsync(accessKeyId, cancellationToken);
        return user is null
            ? null
            : new SigningCredential(
                key!.AccessKeyId,
                key.SecretAccessKey,
                new Principal(PrincipalKind.User, user.AccountId, user.Arn, user.UserId, user.UserName),
                Active: key.IsActive);
    }
}
