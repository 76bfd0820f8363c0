namespace Cairn.Core.Identity;

/// <summary>Finds the secret and principal behind an access key id; null when no such key exists.</summary>
public interface ICredentialResolver
{
    ValueTask<SigningCredential?> FindAsync(string accessKeyId, CancellationToken cancellationToken);
}
