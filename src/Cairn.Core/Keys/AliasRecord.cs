namespace Cairn.Core.Keys;

/// <param name="AliasName">The full name, <c>alias/...</c>.</param>
public sealed record AliasRecord(KeyScope Scope, string AliasName, string TargetKeyId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public string Arn => KeyArns.Alias(Scope, AliasName);
}
