using Cairn.Core.Identity.Policies;
using static Cairn.Core.Tests.Policies.PolicyTestKit;

namespace Cairn.Core.Tests.Policies;

/// <summary>Condition operators, after the examples of the IAM condition operator reference.</summary>
public sealed class PolicyConditionTests
{
    private static bool Holds(string condition, ConditionContext context)
    {
        var policy = Statement($$""" "Effect":"Allow","Action":"*","Resource":"*","Condition":{{condition}} """);
        return Decide("s3:ListBucket", "arn:aws:s3:::bucket", context, policy) == PolicyDecision.Allow;
    }

    public static TheoryData<string, string?, bool> StringCases => new()
    {
        // Policy reference: "StringEquals": {"aws:PrincipalTag/job-category": "iamuser-admin"}.
        { """{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}""", "iamuser-admin", true },
        { """{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}""", "IAMUSER-ADMIN", false },
        { """{"StringEquals":{"aws:PrincipalTag/job-category":"iamuser-admin"}}""", null, false },
        { """{"StringEquals":{"aws:PrincipalTag/job-category":["dev","iamuser-admin"]}}""", "iamuser-admin", true },
        { """{"StringNotEquals":{"aws:PrincipalTag/job-category":["dev","ops"]}}""", "iamuser-admin", true },
        { """{"StringNotEquals":{"aws:PrincipalTag/job-category":["dev","ops"]}}""", "ops", false },
        { """{"StringNotEquals":{"aws:PrincipalTag/job-category":"dev"}}""", null, true },
        { """{"StringEqualsIgnoreCase":{"aws:PrincipalTag/job-category":"IAMUser-Admin"}}""", "iamuser-admin", true },
        { """{"StringNotEqualsIgnoreCase":{"aws:PrincipalTag/job-category":"IAMUser-Admin"}}""", "iamuser-admin", false },
        { """{"StringLike":{"aws:PrincipalTag/job-category":"iamuser-*"}}""", "iamuser-admin", true },
        { """{"StringLike":{"aws:PrincipalTag/job-category":"iamuser-?dmin"}}""", "iamuser-admin", true },
        { """{"StringLike":{"aws:PrincipalTag/job-category":"iamuser-*"}}""", "other", false },
        { """{"StringNotLike":{"aws:PrincipalTag/job-category":"iamuser-*"}}""", "other", true },
        { """{"StringNotLike":{"aws:PrincipalTag/job-category":"iamuser-*"}}""", null, true },
        { """{"StringEqualsIfExists":{"aws:PrincipalTag/job-category":"dev"}}""", null, true },
        { """{"StringEqualsIfExists":{"aws:PrincipalTag/job-category":"dev"}}""", "ops", false },
        { """{"StringEquals":{"AWS:PRINCIPALTAG/JOB-CATEGORY":"dev"}}""", "dev", true },
    };

    [Theory]
    [MemberData(nameof(StringCases))]
    public void String_operators(string condition, string? tag, bool expected)
    {
        var context = new ConditionContext().Set("aws:PrincipalTag/job-category", tag);

        Assert.Equal(expected, Holds(condition, context));
    }

    public static TheoryData<string, string?, bool> OtherCases => new()
    {
        // Numeric: "NumericLessThanEquals": {"s3:max-keys": "10"}.
        { """{"NumericLessThanEquals":{"s3:max-keys":"10"}}""", "10", true },
        { """{"NumericLessThanEquals":{"s3:max-keys":"10"}}""", "11", false },
        { """{"NumericLessThan":{"s3:max-keys":10}}""", "9.5", true },
        { """{"NumericGreaterThan":{"s3:max-keys":"10"}}""", "100", true },
        { """{"NumericGreaterThanEquals":{"s3:max-keys":"10"}}""", "9", false },
        { """{"NumericEquals":{"s3:max-keys":"10"}}""", "10.0", true },
        { """{"NumericNotEquals":{"s3:max-keys":"10"}}""", "10", false },
        { """{"NumericEquals":{"s3:max-keys":"10"}}""", "ten", false },
        // Date: aws:CurrentTime windows, ISO or epoch.
        { """{"DateGreaterThan":{"aws:CurrentTime":"2020-04-01T00:00:00Z"}}""", "2021-01-01T00:00:00Z", true },
        { """{"DateLessThan":{"aws:CurrentTime":"2020-06-30T23:59:59Z"}}""", "2021-01-01T00:00:00Z", false },
        { """{"DateGreaterThanEquals":{"aws:CurrentTime":"1577836800"}}""", "2020-01-01T00:00:00Z", true },
        { """{"DateEquals":{"aws:CurrentTime":"2020-01-01"}}""", "2020-01-01T00:00:00Z", true },
        { """{"DateNotEquals":{"aws:CurrentTime":"2020-01-01T02:00:00+02:00"}}""", "2020-01-01T00:00:00Z", false },
        { """{"DateLessThanEquals":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}}""", "1577836799", true },
        // Offsets beyond DateTimeOffset's ±14 h, and instants before or after the years it holds.
        { """{"DateEquals":{"aws:CurrentTime":"2016-12-13T2:00:00.5+23"}}""", "2016-12-12T03:00:00.5Z", true },
        { """{"DateEquals":{"aws:CurrentTime":"2016-12-13T02:00:00-15:30"}}""", "2016-12-13T17:30:00Z", true },
        { """{"DateLessThan":{"aws:CurrentTime":"2016-12-13T02:00:00+15:00"}}""", "2016-12-12T11:00:00Z", false },
        { """{"DateLessThan":{"aws:CurrentTime":"2016-12-13T02:00:00+15:00"}}""", "2016-12-12T10:59:59Z", true },
        { """{"DateLessThan":{"aws:CurrentTime":"-292275054"}}""", "2020-01-01T00:00:00Z", false },
        { """{"DateGreaterThan":{"aws:CurrentTime":"0001-01-01T00:00:00+01:00"}}""", "2020-01-01T00:00:00Z", true },
        { """{"DateLessThan":{"aws:CurrentTime":"292278993-01-01"}}""", "2020-01-01T00:00:00Z", true },
        { """{"DateEquals":{"aws:CurrentTime":"2020-02-29T00:00:00+23:00"}}""", "2020-02-28T01:00:00Z", true },
        // Bool: "Bool": {"aws:SecureTransport": "true"}.
        { """{"Bool":{"aws:SecureTransport":"true"}}""", "true", true },
        { """{"Bool":{"aws:SecureTransport":"true"}}""", "false", false },
        { """{"Bool":{"aws:SecureTransport":false}}""", "false", true },
        { """{"Bool":{"aws:SecureTransport":"TRUE"}}""", "true", true },
        // IpAddress: "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}.
        { """{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}""", "203.0.113.7", true },
        { """{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}""", "203.0.114.7", false },
        { """{"IpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}""", "192.0.2.1", true },
        { """{"IpAddress":{"aws:SourceIp":"203.0.113.5"}}""", "203.0.113.5", true },
        { """{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}""", "2001:db8:1234:5678::1", true },
        { """{"IpAddress":{"aws:SourceIp":"2001:DB8:1234:5678::/64"}}""", "2001:db8:1234:5679::1", false },
        { """{"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}""", "::ffff:127.0.0.1", true },
        { """{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}""", "198.51.100.1", true },
        { """{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","203.0.113.0/24"]}}""", "192.0.2.9", false },
        { """{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}""", null, false },
        { """{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}""", null, true },
        // BinaryEquals compares the bytes behind base64.
        { """{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}""", "QmluYXJ5VmFsdWVJbkJhc2U2NA==", true },
        { """{"BinaryEquals":{"key":"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}""", "b3RoZXI=", false },
    };

    [Theory]
    [MemberData(nameof(OtherCases))]
    public void Numeric_date_bool_ip_and_binary_operators(string condition, string? value, bool expected)
    {
        var context = new ConditionContext();
        foreach (var key in new[] { "s3:max-keys", "aws:CurrentTime", "aws:SecureTransport", "aws:SourceIp", "key" })
        {
            context.Set(key, value);
        }

        Assert.Equal(expected, Holds(condition, context));
    }

    public static TheoryData<string, string?, bool> ArnCases => new()
    {
        // "ArnEquals": {"aws:SourceArn": "arn:aws:sns:REGION:123456789012:TOPIC-ID"}.
        { """{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:123456789012:my-topic"}}""", "arn:aws:sns:us-east-1:123456789012:my-topic", true },
        { """{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:*:123456789012:my-topic"}}""", "arn:aws:sns:eu-west-1:123456789012:my-topic", true },
        { """{"ArnLike":{"aws:SourceArn":"arn:aws:sns:*:123456789012:*"}}""", "arn:aws:sns:eu-west-1:999999999999:my-topic", false },
        { """{"ArnLike":{"aws:SourceArn":"arn:aws:iam::123456789012:role/build-*"}}""", "arn:aws:iam::123456789012:role/build-ci", true },
        { """{"ArnLike":{"aws:SourceArn":"arn:aws:iam::123456789012:role/build-*"}}""", "arn:aws:iam::123456789012:role/Build-ci", false },
        { """{"ArnNotLike":{"aws:SourceArn":"arn:aws:iam::123456789012:role/build-*"}}""", "arn:aws:iam::123456789012:role/deploy", true },
        { """{"ArnNotEquals":{"aws:SourceArn":"arn:aws:iam::123456789012:role/build"}}""", null, true },
        { """{"ArnLike":{"aws:SourceArn":"arn:aws:iam::123456789012:role/*"}}""", "not-an-arn", false },
    };

    [Theory]
    [MemberData(nameof(ArnCases))]
    public void Arn_operators_compare_each_segment(string condition, string? arn, bool expected)
    {
        Assert.Equal(expected, Holds(condition, new ConditionContext().Set("aws:SourceArn", arn)));
    }

    [Theory]
    [InlineData("true", null, true)]
    [InlineData("true", "2024-01-01T00:00:00Z", false)]
    [InlineData("false", "2024-01-01T00:00:00Z", true)]
    [InlineData("false", null, false)]
    public void Null_tests_whether_the_key_is_absent(string wantAbsent, string? issued, bool expected)
    {
        // Policy reference: "Null": {"aws:TokenIssueTime": "true"} matches only without temporary credentials.
        var condition = "{\"Null\":{\"aws:TokenIssueTime\":\"" + wantAbsent + "\"}}";

        Assert.Equal(expected, Holds(condition, new ConditionContext().Set("aws:TokenIssueTime", issued)));
    }

    public static TheoryData<string, string[]?, bool> SetCases => new()
    {
        // "ForAllValues:StringEquals": {"aws:TagKeys": ["environment","cost-center"]}: every requested key must be listed.
        { """{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}""", ["environment"], true },
        { """{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}""", ["environment", "cost-center"], true },
        { """{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}""", ["environment", "owner"], false },
        { """{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}""", null, true },
        { """{"ForAllValues:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}""", [], true },
        // "ForAnyValue:StringEquals": at least one requested key is listed.
        { """{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}""", ["owner", "environment"], true },
        { """{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}""", ["owner"], false },
        { """{"ForAnyValue:StringEquals":{"aws:TagKeys":["environment","cost-center"]}}""", null, false },
        { """{"ForAnyValue:StringLike":{"aws:TagKeys":"env*"}}""", ["owner", "environment"], true },
        { """{"ForAllValues:StringLike":{"aws:TagKeys":"env*"}}""", ["owner", "environment"], false },
        { """{"ForAnyValue:StringNotEquals":{"aws:TagKeys":"owner"}}""", ["owner", "environment"], true },
        { """{"ForAllValues:StringNotEquals":{"aws:TagKeys":"owner"}}""", ["owner", "environment"], false },
        { """{"ForAnyValue:StringEqualsIfExists":{"aws:TagKeys":"owner"}}""", null, true },
        // Without a qualifier a multivalued key matches when any of its values does.
        { """{"StringEquals":{"aws:TagKeys":"owner"}}""", ["owner", "environment"], true },
    };

    [Theory]
    [MemberData(nameof(SetCases))]
    public void Set_operators_on_multivalued_keys(string condition, string[]? keys, bool expected)
    {
        var context = new ConditionContext();
        if (keys is not null)
        {
            context.SetMany("aws:TagKeys", keys);
        }

        Assert.Equal(expected, Holds(condition, context));
    }

    [Fact]
    public void Operators_and_keys_are_ANDed_and_values_ORed()
    {
        const string Condition = """{"StringEquals":{"aws:username":["alice","bob"],"aws:PrincipalAccount":"123456789012"},"Bool":{"aws:SecureTransport":"true"}}""";

        Assert.True(Holds(Condition, Ctx(("aws:username", "bob"), ("aws:PrincipalAccount", "123456789012"), ("aws:SecureTransport", "true"))));
        Assert.False(Holds(Condition, Ctx(("aws:username", "carol"), ("aws:PrincipalAccount", "123456789012"), ("aws:SecureTransport", "true"))));
        Assert.False(Holds(Condition, Ctx(("aws:username", "bob"), ("aws:PrincipalAccount", "999999999999"), ("aws:SecureTransport", "true"))));
        Assert.False(Holds(Condition, Ctx(("aws:username", "bob"), ("aws:PrincipalAccount", "123456789012"), ("aws:SecureTransport", "false"))));
    }

    [Fact]
    public void IfExists_lets_a_request_without_the_key_through()
    {
        // Policy reference: "StringLikeIfExists": {"ec2:InstanceType": ["t1.*","t2.*","m3.*"]}.
        const string Condition = """{"StringLikeIfExists":{"ec2:InstanceType":["t1.*","t2.*","m3.*"]}}""";

        Assert.True(Holds(Condition, new ConditionContext()));
        Assert.True(Holds(Condition, Ctx(("ec2:InstanceType", "t2.micro"))));
        Assert.False(Holds(Condition, Ctx(("ec2:InstanceType", "c5.large"))));
    }

    [Fact]
    public void Denying_plain_http_with_SecureTransport_false()
    {
        var allow = Statement(""" "Effect":"Allow","Action":"ssm:*","Resource":"*" """);
        var deny = Statement(""" "Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}} """);

        Assert.Equal(PolicyDecision.ExplicitDeny, Decide("ssm:GetParameter", "*", Ctx(("aws:SecureTransport", "false")), allow, deny));
        Assert.Equal(PolicyDecision.Allow, Decide("ssm:GetParameter", "*", Ctx(("aws:SecureTransport", "true")), allow, deny));
    }
}
