namespace Cairn.Core.Errors;

/// <summary>
/// Parameter Store (AmazonSSM) error codes and texts. Texts marked "verify" are our wording where AWS's exact text
/// is not known; everything else is AWS's own.
/// </summary>
public static partial class AwsErrors
{
    private const string InvalidNameText =
        "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_";

    private const string InvalidPathText =
        "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.";

    /// <summary>
    /// AWS's code; AWS sends an empty message, Cairn names the parameter as asked (with its selector: <c>name:2</c>)
    /// and, when the caller may list names, a close name in the same account and region.
    /// </summary>
    public static AwsException ParameterNotFound(string name, string? suggestion = null) =>
        new("ParameterNotFound", suggestion is null
            ? $"Parameter {name} not found."
            : $"Parameter {name} not found. Did you mean {suggestion}?");

    public static AwsException ParameterVersionNotFound(string version, string name) =>
        new("ParameterVersionNotFound", $"Systems Manager could not find version {version} of {name}. Verify the version and try again.");

    public static AwsException ParameterAlreadyExists() =>
        new("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");

    public static AwsException ParameterTypeRequired() => Validation("A parameter type is required when you create a parameter.");

    /// <summary>AWS's one text for every malformed name (bad characters, spaces, <c>x/b</c>, <c>/a//b</c>, <c>/ssm/...</c>).</summary>
    public static AwsException InvalidParameterName() => Validation(InvalidNameText);

    public static AwsException ReservedParameterPrefix() =>
        Validation("Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");

    public static AwsException ReservedParameterName(string name) => AccessDenied($"No access to reserved parameter name: {name}.");

    /// <summary>
    /// verify: AWS serves its public parameters to GetParameter, GetParameters and GetParametersByPath only and refuses
    /// GetParameterHistory on them; its code and text here are not known (AccessDeniedException is Cairn's choice).
    /// </summary>
    public static AwsException PublicParameterHistory(string name) => AccessDenied(
        $"Public parameters have no history: GetParameterHistory is not supported on {name}. Read its current value with GetParameter, GetParameters or GetParametersByPath.");

    /// <summary>verify: AWS counts the ARN prefix toward 1011 characters; its wording for this case is not known.</summary>
    public static AwsException ParameterNameTooLong(int maxNameLength) =>
        Validation($"Parameter name: can't be longer than 1011 characters including the ARN prefix, so at most {maxNameLength} characters here.");

    public static AwsException HierarchyLevelLimitExceeded() =>
        new("HierarchyLevelLimitExceededException",
            "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the Amazon Web Services Systems Manager User Guide.");

    /// <summary>A path (GetParametersByPath, the Path filter) that is not <c>/</c>-rooted, or has bad characters.</summary>
    public static AwsException InvalidParameterPath() => Validation(InvalidPathText);

    public static AwsException ReservedPathFilter() =>
        Validation("Filters for common parameters can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). When using global parameters, please specify within a global namespace.");

    public static AwsException EmptyParameterValue() =>
        Validation("1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.");

    public static AwsException StandardTierValueTooLarge() =>
        Validation("Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html");

    /// <summary>verify: wording modelled on the standard-tier text.</summary>
    public static AwsException AdvancedTierValueTooLarge() =>
        Validation("Advanced tier parameters support a maximum parameter value of 8192 characters. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html");

    public static AwsException TierDowngrade() =>
        Validation("This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.");

    /// <summary>verify.</summary>
    public static AwsException PoliciesNeedAdvancedTier() =>
        Validation("Standard tier parameters don't support parameter policies. To assign policies, use the advanced-parameter tier (Tier=Advanced or Intelligent-Tiering).");

    public static AwsException ParameterLimitExceeded(string tier, int limit) =>
        new("ParameterLimitExceeded",
            $"You have reached the maximum number of {tier.ToLowerInvariant()} parameters for this AWS account and Region ({limit}). To add more parameters, either delete existing parameters or upgrade to the advanced-parameter tier (charges apply).");

    public static AwsException ParameterMaxVersionLimitExceeded(string name, long oldestVersion) =>
        new("ParameterMaxVersionLimitExceeded",
            $"You attempted to create a new version of {name} by calling the PutParameter API with the overwrite flag. Version {oldestVersion}, the oldest version, can't be deleted because it has a label associated with it. Move the label to another version of the parameter, and try again.");

    public static AwsException ParameterPatternMismatch(string pattern) =>
        new("ParameterPatternMismatchException", $"Parameter value, cannot be validated against allowedPattern: {pattern}");

    /// <summary>verify.</summary>
    public static AwsException InvalidAllowedPattern(string pattern) =>
        new("InvalidAllowedPatternException", $"The allowed pattern is not a valid regular expression: {pattern}");

    public static AwsException UnsupportedDataType(string dataType) =>
        Validation($"The following data type is not supported: {dataType} (Data type names are all lowercase.)");

    public static AwsException TagsWithOverwrite() =>
        Validation("Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.");

    /// <summary>KMS's own error, wrapped the way SSM passes it on.</summary>
    public static AwsException InvalidKeyId(string kmsMessage, string kmsCode, string requestId) =>
        new("InvalidKeyId", $"{kmsMessage} (Service: AWSKMS; Status Code: 400; Error Code: {kmsCode}; Request ID: {requestId}; Proxy: null)");

    public static AwsException ParameterVersionLabelLimitExceeded() =>
        new("ParameterVersionLabelLimitExceeded", "A parameter version can have maximum 10 labels.Move one or more labels to another version and try again.");

    public static AwsException PoliciesLimitExceeded() =>
        new("PoliciesLimitExceededException", "You specified more than the maximum number of allowed policies for the parameter. The maximum is 10.");

    /// <summary>verify.</summary>
    public static AwsException InvalidPolicyType(string type) =>
        new("InvalidPolicyTypeException",
            $"The following policy type is not supported: {type}. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification.");

    /// <summary>verify.</summary>
    public static AwsException InvalidPolicyAttribute(string detail) => new("InvalidPolicyAttributeException", detail);

    /// <summary>verify.</summary>
    public static AwsException IncompatiblePolicy(string detail) => new("IncompatiblePolicyException", detail);

    public static AwsException InvalidFilterKey(string message) => new("InvalidFilterKey", message);

    public static AwsException InvalidFilterOption(string message) => new("InvalidFilterOption", message);

    public static AwsException InvalidFilterValue(string message) => new("InvalidFilterValue", message);

    public static AwsException FiltersAndParameterFilters() =>
        Validation("You can use either Filters or ParameterFilters in a single request.");

    /// <summary>verify.</summary>
    public static AwsException InvalidNextToken() => new("InvalidNextToken", "The specified token isn't valid.");

    /// <summary>AWS's model has no message member and AWS sends none; Cairn says which resource it did not find.</summary>
    public static AwsException InvalidResourceId(string resourceType, string resourceId) =>
        new("InvalidResourceId", resourceType == "Parameter"
            ? $"No parameter {resourceId} in this account and region to tag (ResourceId is the parameter's name)."
            : $"No {resourceType} {resourceId} here: Cairn's Parameter Store tags only ResourceType Parameter.");

    /// <summary>AWS's model has no message member; Cairn names the type and the ones that exist.</summary>
    public static AwsException InvalidResourceType(string resourceType, IEnumerable<string> validTypes) =>
        new("InvalidResourceType", $"The resource type {resourceType} isn't valid. ResourceType is one of: {string.Join(", ", validTypes)}; Cairn's Parameter Store tags Parameter.");

    /// <summary>AWS sends no message.</summary>
    public static AwsException TooManyTags(int limit) =>
        new("TooManyTagsError", $"A parameter can have at most {limit} tags; remove some with remove-tags-from-resource first.");

    /// <summary>AWS's text: a PutParameter lost the race to concurrent writers too many times.</summary>
    public static AwsException TooManyParameterUpdates() =>
        new("TooManyUpdates", "There are concurrent updates for a resource that supports one update at a time.");
}
