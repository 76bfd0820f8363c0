using Cairn.Core.Errors;
using Cairn.Core.Parameters;

namespace Cairn.Core.Tests.Parameters;

public sealed class ParameterFiltersTests
{
    private static ParameterStringFilter Filter(string key, string? option, params string[] values) => new(key, option, values);

    private static ParameterListing Listing(string key, string type = ParameterTypes.String, string? keyId = null, string tier = ParameterTiers.Standard,
        Dictionary<string, string>? tags = null, Dictionary<string, long>? labels = null) => new(
        new ParameterSnapshot(key, "/" + key, 1, null, new ParameterVersion
        {
            Version = 1,
            Type = type,
            Value = "v",
            KeyId = keyId,
            DataType = ParameterDataTypes.Text,
            Tier = tier,
            LastModifiedDate = DateTimeOffset.UnixEpoch,
            LastModifiedUser = "arn:aws:iam::000000000000:root",
        }),
        tags ?? [],
        labels ?? []);

    [Theory]
    [InlineData("Label", "Equals", "InvalidFilterKey", "The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].")]
    [InlineData("Name", null, "InvalidFilterValue", "The following filter values are missing : null for filter key Name.")]
    [InlineData("KeyId", "Contains", "InvalidFilterOption", "The following filter option is not valid: Contains. Valid options include: [BeginsWith, Equals].")]
    [InlineData("Path", "Equals", "InvalidFilterOption", "The following filter option is not valid: Equals. Valid options include: [Recursive, OneLevel].")]
    public void Describe_filter_errors_carry_AWS_text(string key, string? option, string code, string message)
    {
        var values = key == "Name" && option is null ? Array.Empty<string>() : ["/x"];

        var error = Assert.Throws<AwsException>(() => ParameterFilters.ValidateForDescribe([new ParameterStringFilter(key, option, values)]));

        Assert.Equal((code, message), (error.Code, error.Message));
    }

    [Fact]
    public void A_filter_key_may_appear_once()
    {
        var error = Assert.Throws<AwsException>(() => ParameterFilters.ValidateForDescribe([Filter("Type", null, "String"), Filter("Type", null, "SecureString")]));

        Assert.Equal("InvalidFilterKey", error.Code);
        Assert.Equal("The following filter is duplicated in the request: Type. A request can contain only one occurrence of a specific filter.", error.Message);
    }

    [Theory]
    [InlineData("Type", "Secret", "The following filter value is not valid: Secret. Valid values include: [String, StringList, SecureString].")]
    [InlineData("Tier", "Premium", "The following filter value is not valid: Premium. Valid values include: [Standard, Advanced, Intelligent-Tiering].")]
    public void Unknown_type_and_tier_values_are_refused(string key, string value, string message)
    {
        Assert.Equal(message, Assert.Throws<AwsException>(() => ParameterFilters.ValidateForDescribe([Filter(key, null, value)])).Message);
    }

    [Theory]
    [InlineData("/aws/x", "Filters for common parameters can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). When using global parameters, please specify within a global namespace.")]
    [InlineData("no-slash", "The parameter doesn't meet the parameter name requirements.")]
    [InlineData("/a//b", "The parameter doesn't meet the parameter name requirements.")]
    public void Path_filter_values_must_be_paths_outside_aws_and_ssm(string value, string messageStart)
    {
        var error = Assert.Throws<AwsException>(() => ParameterFilters.ValidateForDescribe([Filter("Path", "Recursive", value)]));

        Assert.Equal("ValidationException", error.Code);
        Assert.StartsWith(messageStart, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Name")]
    [InlineData("Path")]
    [InlineData("Tier")]
    [InlineData("tag:env")]
    [InlineData("DataType")]
    public void By_path_only_Type_KeyId_and_Label_are_allowed(string key)
    {
        var error = Assert.Throws<AwsException>(() => ParameterFilters.ValidateForPath([Filter(key, null, "x")]));

        Assert.Equal("InvalidFilterKey", error.Code);
        Assert.Equal($"The following filter key is not valid: {key}. Valid filter keys include: [Type, KeyId, Label].", error.Message);
    }

    [Fact]
    public void A_label_filter_takes_only_Equals()
    {
        ParameterFilters.ValidateForPath([Filter("Label", null, "prod")]);

        var error = Assert.Throws<AwsException>(() => ParameterFilters.ValidateForPath([Filter("Label", "BeginsWith", "prod")]));
        Assert.Equal("InvalidFilterOption", error.Code);
    }

    [Fact]
    public void Name_filters_ignore_the_leading_slash_and_support_Contains()
    {
        var listing = Listing("app/db/url");

        Assert.True(ParameterFilters.Matches([Filter("Name", "Equals", "app/db/url")], listing));
        Assert.True(ParameterFilters.Matches([Filter("Name", "BeginsWith", "/app/d")], listing));
        Assert.True(ParameterFilters.Matches([Filter("Name", "Contains", "db")], listing));
        Assert.False(ParameterFilters.Matches([Filter("Name", "Equals", "/app/db")], listing));
    }

    [Fact]
    public void Path_filters_look_one_level_down_unless_recursive()
    {
        Assert.True(ParameterFilters.Matches([Filter("Path", null, "/app")], Listing("app/x")));
        Assert.False(ParameterFilters.Matches([Filter("Path", null, "/app")], Listing("app/sub/x")));
        Assert.True(ParameterFilters.Matches([Filter("Path", "Recursive", "/app")], Listing("app/sub/x")));
        Assert.True(ParameterFilters.Matches([Filter("Path", "OneLevel", "/")], Listing("root")));
        Assert.False(ParameterFilters.Matches([Filter("Path", "OneLevel", "/")], Listing("app/x")));
        Assert.False(ParameterFilters.Matches([Filter("Path", "Recursive", "/app")], Listing("application/x")));
    }

    [Fact]
    public void Tag_filters_match_the_key_and_any_of_the_values()
    {
        var listing = Listing("x", tags: new Dictionary<string, string> { ["env"] = "prod" });

        Assert.True(ParameterFilters.Matches([Filter("tag:env", null, "dev", "prod")], listing));
        Assert.True(ParameterFilters.Matches([Filter("tag:env", null)], listing));
        Assert.False(ParameterFilters.Matches([Filter("tag:env", null, "dev")], listing));
        Assert.False(ParameterFilters.Matches([Filter("tag:team", null)], listing));
    }

    [Fact]
    public void All_filters_must_match()
    {
        var secure = Listing("s", ParameterTypes.SecureString, "alias/aws/ssm", ParameterTiers.Advanced);

        Assert.True(ParameterFilters.Matches([Filter("Type", null, "SecureString"), Filter("KeyId", null, "alias/aws/ssm"), Filter("Tier", null, "Advanced")], secure));
        Assert.False(ParameterFilters.Matches([Filter("Type", null, "SecureString"), Filter("Tier", null, "Standard")], secure));
        Assert.False(ParameterFilters.Matches([Filter("KeyId", null, "alias/aws/ssm")], Listing("plain")));
    }
}
