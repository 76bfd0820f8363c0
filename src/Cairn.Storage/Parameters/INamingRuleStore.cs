using Cairn.Core.Parameters.Naming;

namespace Cairn.Storage.Parameters;

/// <summary>Accounts' naming rules for parameter names, one per account and path prefix.</summary>
public interface INamingRuleStore
{
    /// <summary>Stores <paramref name="rule"/>, replacing the account's rule for the same prefix.</summary>
    Task PutAsync(NamingRule rule, CancellationToken cancellationToken);

    /// <summary>The account's rules, by prefix.</summary>
    Task<IReadOnlyList<NamingRule>> ListAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Removes the account's rule for <paramref name="pathPrefix"/>; false when there was none.</summary>
    Task<bool> DeleteAsync(string accountId, string pathPrefix, CancellationToken cancellationToken);
}
