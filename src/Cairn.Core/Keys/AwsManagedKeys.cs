namespace Cairn.Core.Keys;

/// <summary>The AWS managed keys Cairn creates on first use in each account and region.</summary>
public static class AwsManagedKeys
{
    public const string ReservedPrefix = "alias/aws/";

    public const string SsmAlias = "alias/aws/ssm";

    public const string SecretsManagerAlias = "alias/aws/secretsmanager";

    /// <summary>The description AWS gives an AWS managed key, by alias; null for aliases Cairn does not manage.</summary>
    public static string? DescriptionOf(string aliasName) => aliasName switch
    {
        SsmAlias => "Default key that protects my SSM parameters when no other key is defined",
        SecretsManagerAlias => "Default key that protects my Secrets Manager data when no other key is defined",
        _ => null,
    };
}
