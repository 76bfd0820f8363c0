namespace Cairn.Core.Identity.Policies;

/// <summary>
/// A trust policy statement's Principal: <c>"*"</c>, or principal types (<c>AWS</c>, <c>Service</c>, <c>Federated</c>,
/// <c>CanonicalUser</c>) each naming one or more principals.
/// </summary>
public sealed class PolicyPrincipals
{
    private readonly Dictionary<string, string[]> _byType;

    internal PolicyPrincipals(bool everyone, Dictionary<string, string[]> byType)
    {
        IsEveryone = everyone;
        _byType = byType;
    }

    /// <summary><c>"Principal": "*"</c>.</summary>
    public bool IsEveryone { get; }

    public IReadOnlyDictionary<string, string[]> ByType => _byType;

    public IReadOnlyList<string> Get(string type) => _byType.TryGetValue(type, out var values) ? values : [];

    /// <summary>How <paramref name="caller"/> is named here: not at all, through its whole account, or by its own ARN.</summary>
    public PrincipalMatch Match(TrustCaller caller)
    {
        if (IsEveryone)
        {
            return PrincipalMatch.Account;
        }

        if (caller.Federated is not null)
        {
            return Get("Federated").Any(f => string.Equals(f, caller.Federated, StringComparison.Ordinal))
                ? PrincipalMatch.Specific
                : PrincipalMatch.None;
        }

        if (caller.Service is not null)
        {
            return Get("Service").Any(s => string.Equals(s, caller.Service, StringComparison.OrdinalIgnoreCase))
                ? PrincipalMatch.Specific
                : PrincipalMatch.None;
        }

        var result = PrincipalMatch.None;
        foreach (var value in Get("AWS"))
        {
            if (caller.Arns.Any(arn => string.Equals(arn, value, StringComparison.Ordinal)))
            {
                return PrincipalMatch.Specific;
            }

            if (value == "*" || value == caller.AccountId || value == $"arn:aws:iam::{caller.AccountId}:root")
            {
                result = PrincipalMatch.Account;
            }
        }

        return result;
    }
}
