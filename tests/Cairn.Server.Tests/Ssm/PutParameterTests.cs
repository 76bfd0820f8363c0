using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.Ssm;

public sealed class PutParameterTests : SsmFixture
{
    [Fact]
    public async Task Put_creates_version_1_in_the_standard_tier_and_overwrite_adds_versions()
    {
        var created = await PutAsync("/app/db", "one");
        var updated = await OverwriteAsync("/app/db", "two");

        Assert.Equal("""{"Version":1,"Tier":"Standard"}""", created.ToJsonString());
        Assert.Equal(2, updated["Version"]!.GetValue<long>());
        Assert.Equal("two", (await GetAsync("/app/db"))["Value"]!.GetValue<string>());
        Assert.Contains(("ssm:PutParameter", Arn("app/db")), Authorizer.Calls);
    }

    [Fact]
    public async Task Put_without_permission_returns_AccessDenied_and_stores_nothing()
    {
        Authorizer.Denied.Add(("ssm:PutParameter", Arn("locked")));

        var error = await FailsAsync("PutParameter", """{"Name":"/locked","Value":"v","Type":"String"}""");

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Equal("ParameterNotFound", (await FailsAsync("GetParameter", """{"Name":"/locked"}""")).Code);
    }

    [Fact]
    public async Task Missing_required_members_are_listed_in_one_validation_error()
    {
        var error = await FailsAsync("PutParameter", "{}");

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal(
            "2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; Value null at 'value' failed to satisfy constraint: Member must not be null",
            error.Message);
    }

    [Theory]
    [InlineData("""{"Name":"x","Value":"","Type":"String"}""", "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.")]
    [InlineData("""{"Name":"x","Value":"v","Type":"str"}""", "1 validation error detected: Value 'str' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]")]
    [InlineData("""{"Name":"x","Value":"v","Type":"String","Tier":"Gold"}""", "1 validation error detected: Value 'Gold' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]")]
    [InlineData("""{"Name":"x","Value":"v","Type":"SecureString","KeyId":"bad key"}""", "1 validation error detected: Value 'bad key' at 'keyId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([a-zA-Z0-9:/_-]+)$")]
    [InlineData("""{"Name":"x","Value":"v","Type":"String","Tags":[{"Key":"a!","Value":"b"}]}""", "1 validation error detected: Value 'a!' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$")]
    [InlineData("""{"Name":"x","Value":"v","Type":"String","Tags":[{"Key":"a"}]}""", "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null")]
    [InlineData("""{"Name":"x","Value":"v","Type":"String","Policies":""}""", "1 validation error detected: Value '' at 'policies' failed to satisfy constraint: Member must have length greater than or equal to 1")]
    [InlineData("""{"Name":"x","Value":"v","Type":"String","Overwrite":true,"Tags":[{"Key":"a","Value":"b"}]}""", "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.")]
    [InlineData("""{"Name":"x","Value":"v","Type":"String","DataType":"aws:ec2:Image"}""", "The following data type is not supported: aws:ec2:Image (Data type names are all lowercase.)")]
    [InlineData("""{"Name":"x","Value":"v"}""", "A parameter type is required when you create a parameter.")]
    [InlineData("""{"Name":"my param","Value":"v","Type":"String"}""", "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_")]
    [InlineData("""{"Name":"ssm-param","Value":"v","Type":"String"}""", "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).")]
    public async Task Invalid_puts_get_AWS_validation_text(string json, string message)
    {
        var error = await FailsAsync("PutParameter", json);

        Assert.Equal(("ValidationException", message), (error.Code, error.Message));
    }

    [Fact]
    public async Task A_too_long_description_reports_the_value_and_the_limit()
    {
        var description = new string('d', 1025);

        var error = await FailsAsync("PutParameter", $$"""{"Name":"x","Value":"v","Type":"String","Description":"{{description}}"}""");

        Assert.Equal($"1 validation error detected: Value '{description}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 1024", error.Message);
    }

    [Fact]
    public async Task A_wrong_JSON_type_is_a_serialization_error()
    {
        var number = await FailsAsync("PutParameter", """{"Name":5,"Value":"v"}""");
        Assert.Equal(("SerializationException", "NUMBER_VALUE cannot be converted to String"), (number.Code, number.Message));
        Assert.Equal("STRING_VALUE cannot be converted to Boolean", (await FailsAsync("PutParameter", """{"Name":"x","Value":"v","Overwrite":"yes"}""")).Message);
        Assert.Equal("SerializationException", (await FailsAsync("PutParameter", """{"Name":"x","Value":"v","Tags":{}}""")).Code);
    }

    [Fact]
    public async Task Writing_under_slash_aws_is_denied_with_the_name()
    {
        var error = await FailsAsync("PutParameter", """{"Name":"/aws/mine","Value":"v","Type":"String"}""");

        Assert.Equal(("AccessDeniedException", "No access to reserved parameter name: /aws/mine."), (error.Code, error.Message));
    }

    [Fact]
    public async Task Sixteen_levels_exceed_the_hierarchy_limit()
    {
        var name = string.Concat(Enumerable.Range(1, 16).Select(i => $"/l{i}"));

        Assert.Equal("HierarchyLevelLimitExceededException", (await FailsAsync("PutParameter", $$"""{"Name":"{{name}}","Value":"v","Type":"String"}""")).Code);
    }

    [Fact]
    public async Task An_existing_name_without_overwrite_is_ParameterAlreadyExists()
    {
        await PutAsync("dup", "v");

        var error = await FailsAsync("PutParameter", """{"Name":"/dup","Value":"v","Type":"String"}""");

        Assert.Equal(("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true."), (error.Code, error.Message));
    }

    [Fact]
    public async Task Value_size_follows_the_tier()
    {
        var big = new string('x', 5000);

        var standard = await FailsAsync("PutParameter", $$"""{"Name":"big","Value":"{{big}}","Type":"String"}""");
        Assert.StartsWith("Standard tier parameters support a maximum parameter value of 4096 characters.", standard.Message, StringComparison.Ordinal);

        var intelligent = await CallAsync("PutParameter", $$"""{"Name":"big","Value":"{{big}}","Type":"String","Tier":"Intelligent-Tiering"}""");
        Assert.Equal("Advanced", intelligent["Tier"]!.GetValue<string>());

        var huge = new string('x', 8193);
        Assert.Equal("ValidationException", (await FailsAsync("PutParameter", $$"""{"Name":"huge","Value":"{{huge}}","Type":"String","Tier":"Advanced"}""")).Code);
    }

    [Fact]
    public async Task An_advanced_parameter_cannot_be_made_standard_again()
    {
        await PutAsync("adv", "v", extra: ""","Tier":"Advanced" """);

        var error = await FailsAsync("PutParameter", """{"Name":"adv","Value":"w","Overwrite":true,"Tier":"Standard"}""");

        Assert.StartsWith("This parameter uses the advanced-parameter tier.", error.Message, StringComparison.Ordinal);
        Assert.Equal("Advanced", (await OverwriteAsync("adv", "w"))["Tier"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_allowed_pattern_is_checked_on_create_and_on_update()
    {
        await PutAsync("digits", "123", extra: ""","AllowedPattern":"^\\d+$" """);

        var error = await FailsAsync("PutParameter", """{"Name":"digits","Value":"12x","Overwrite":true}""");
        Assert.Equal(("ParameterPatternMismatchException", "Parameter value, cannot be validated against allowedPattern: ^\\d+$"), (error.Code, error.Message));

        Assert.Equal("InvalidAllowedPatternException", (await FailsAsync("PutParameter", """{"Name":"p2","Value":"v","Type":"String","AllowedPattern":"([a"}""")).Code);
    }

    [Fact]
    public async Task Policies_need_the_advanced_tier_and_show_up_in_describe()
    {
        const string Policies = """[{\"Type\":\"Expiration\",\"Version\":\"1.0\",\"Attributes\":{\"Timestamp\":\"2030-06-01T00:00:00.000Z\"}}]""";

        Assert.Equal("ValidationException", (await FailsAsync("PutParameter", $$"""{"Name":"pol","Value":"v","Type":"String","Policies":"{{Policies}}"}""")).Code);

        await PutAsync("pol", "v", extra: $$""","Tier":"Advanced","Policies":"{{Policies}}" """);
        var described = await CallAsync("DescribeParameters", "{}");
        var policy = described["Parameters"]![0]!["Policies"]![0]!;
        Assert.Equal("Expiration", policy["PolicyType"]!.GetValue<string>());
        Assert.Equal("Pending", policy["PolicyStatus"]!.GetValue<string>());
        Assert.Contains("2030-06-01T00:00:00.000Z", policy["PolicyText"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{\"Type\":\"Deletion\"}]""", "InvalidPolicyTypeException")]
    [InlineData("""[{\"Type\":\"Expiration\",\"Version\":\"1.0\",\"Attributes\":{\"Timestamp\":\"2020-01-01T00:00:00Z\"}}]""", "InvalidPolicyAttributeException")]
    [InlineData("""[{\"Type\":\"ExpirationNotification\",\"Version\":\"1.0\",\"Attributes\":{\"Before\":\"1\",\"Unit\":\"Days\"}}]""", "IncompatiblePolicyException")]
    public async Task Bad_policies_are_refused(string policies, string code)
    {
        Assert.Equal(code, (await FailsAsync("PutParameter", $$"""{"Name":"pol","Value":"v","Type":"String","Tier":"Advanced","Policies":"{{policies}}"}""")).Code);
    }

    [Fact]
    public async Task More_than_fifty_tags_on_create_is_TooManyTagsError()
    {
        var tags = string.Join(",", Enumerable.Range(0, 51).Select(i => $$"""{"Key":"k{{i}}","Value":"v"}"""));

        Assert.Equal("TooManyTagsError", (await FailsAsync("PutParameter", $$"""{"Name":"t","Value":"v","Type":"String","Tags":[{{tags}}]}""")).Code);
    }

    [Fact]
    public async Task Regions_keep_their_own_parameters()
    {
        await PutAsync("/regional", "east");

        Assert.Equal("ParameterNotFound", (await FailsAsync("GetParameter", """{"Name":"/regional"}""", "eu-west-1")).Code);
        await CallAsync("PutParameter", """{"Name":"/regional","Value":"west","Type":"String"}""", "eu-west-1");
        Assert.Equal("east", (await GetAsync("/regional"))["Value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Describe_records_who_changed_a_parameter_last()
    {
        await PutAsync("who", "v");

        var metadata = (await CallAsync("DescribeParameters", "{}"))["Parameters"]![0]!;

        Assert.Equal(UserArn, metadata["LastModifiedUser"]!.GetValue<string>());
    }

    [Fact]
    public async Task Put_result_JSON_is_exactly_Version_and_Tier()
    {
        var result = await PutAsync("shape", "v");

        Assert.Equal(["Version", "Tier"], ((IDictionary<string, JsonNode?>)result).Keys);
    }
}
