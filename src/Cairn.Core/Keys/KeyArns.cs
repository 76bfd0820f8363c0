namespace Cairn.Core.Keys;

/// <summary>ARNs of keys and aliases: <c>arn:aws:kms:region:account:key/id</c>, <c>arn:aws:kms:region:account:alias/name</c>.</summary>
public static class KeyArns
{
    public static string Key(KeyScope scope, string keyId) => $"arn:aws:kms:{scope.Region}:{scope.AccountId}:key/{keyId}";

    /// <param name="aliasName">The full alias name, <c>alias/...</c>.</param>
    public static string Alias(KeyScope scope, string aliasName) => $"arn:aws:kms:{scope.Region}:{scope.AccountId}:{aliasName}";
}
