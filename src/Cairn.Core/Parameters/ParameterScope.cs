namespace Cairn.Core.Parameters;

/// <summary>Parameters live per account and region: the same name in two regions is two parameters.</summary>
public readonly record struct ParameterScope(string AccountId, string Region)
{
    /// <summary>The ARN of the parameter with the given key (its name without the leading slash); AWS's public parameters' have no account.</summary>
    public string ArnFor(string key) => PublicParameters.IsPublic(key) ? PublicParameters.Arn(Region, key) : $"{ArnPrefix}{key}";

    /// <summary><c>arn:aws:ssm:region:account:parameter/</c>; its length counts toward the 1011-character name limit.</summary>
    public string ArnPrefix => $"arn:aws:ssm:{Region}:{AccountId}:parameter/";

    /// <summary>The resource DescribeParameters is authorized on.</summary>
    public string AllParametersArn => $"arn:aws:ssm:{Region}:{AccountId}:*";
}
