using Cairn.Core.Errors;
using Cairn.Core.Parameters;

namespace Cairn.Core.Tests.Parameters;

public sealed class ParameterPoliciesTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void All_three_policy_types_parse_and_the_expiration_time_is_kept()
    {
        var set = ParameterPolicies.Parse(
            """
            [{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-06-01T12:00:00.000Z"}},
             {"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"15","Unit":"Days"}},
             {"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"20","Unit":"Hours"}}]
            """, Now);

        Assert.Equal(["Expiration", "ExpirationNotification", "NoChangeNotification"], set.Policies.Select(p => p.Type));
        Assert.Equal(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero), set.ExpiresAt);
        Assert.Equal("""{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-06-01T12:00:00.000Z"}}""", set.Policies[0].Text);
    }

    [Fact]
    public void Stored_policies_read_back_the_same()
    {
        var set = ParameterPolicies.Parse("""[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2030-06-01T12:00:00Z"}}]""", Now);

        var again = ParameterPolicies.FromStored(set.ToStoredText());

        Assert.Equal(set.Policies, again.Policies);
        Assert.Equal(set.ExpiresAt, again.ExpiresAt);
    }

    [Fact]
    public void An_empty_array_means_no_policies()
    {
        var set = ParameterPolicies.Parse("[]", Now);

        Assert.True(set.IsEmpty);
        Assert.Null(set.ToStoredText());
    }

    [Theory]
    [InlineData("""[{"Type":"Deletion","Version":"1.0","Attributes":{}}]""", "InvalidPolicyTypeException")]
    [InlineData("""[{"Version":"1.0","Attributes":{}}]""", "InvalidPolicyTypeException")]
    [InlineData("""[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"soon"}}]""", "InvalidPolicyAttributeException")]
    [InlineData("""[{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2020-01-01T00:00:00Z"}}]""", "InvalidPolicyAttributeException")]
    [InlineData("""[{"Type":"Expiration","Version":"2.0","Attributes":{"Timestamp":"2031-01-01T00:00:00Z"}}]""", "InvalidPolicyAttributeException")]
    [InlineData("""[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"x","Unit":"Days"}}]""", "InvalidPolicyAttributeException")]
    [InlineData("""[{"Type":"NoChangeNotification","Version":"1.0","Attributes":{"After":"3","Unit":"Weeks"}}]""", "InvalidPolicyAttributeException")]
    [InlineData("""[{"Type":"ExpirationNotification","Version":"1.0","Attributes":{"Before":"3","Unit":"Days"}}]""", "IncompatiblePolicyException")]
    [InlineData("not json", "InvalidPolicyAttributeException")]
    [InlineData("{}", "InvalidPolicyAttributeException")]
    public void Bad_policies_get_the_matching_error(string json, string code)
    {
        Assert.Equal(code, Assert.Throws<AwsException>(() => ParameterPolicies.Parse(json, Now)).Code);
    }

    [Fact]
    public void Two_policies_of_one_type_are_incompatible()
    {
        const string Expiration = """{"Type":"Expiration","Version":"1.0","Attributes":{"Timestamp":"2031-01-01T00:00:00Z"}}""";

        var error = Assert.Throws<AwsException>(() => ParameterPolicies.Parse($"[{Expiration},{Expiration}]", Now));

        Assert.Equal("IncompatiblePolicyException", error.Code);
        Assert.StartsWith("There is a conflict in the policies specified for this parameter.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_ten_policies_exceed_the_limit()
    {
        var many = "[" + string.Join(",", Enumerable.Repeat("""{"Type":"Expiration"}""", 11)) + "]";

        var error = Assert.Throws<AwsException>(() => ParameterPolicies.Parse(many, Now));

        Assert.Equal("PoliciesLimitExceededException", error.Code);
        Assert.Equal("You specified more than the maximum number of allowed policies for the parameter. The maximum is 10.", error.Message);
    }
}
