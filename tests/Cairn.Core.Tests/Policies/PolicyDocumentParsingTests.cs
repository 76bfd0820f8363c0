using Cairn.Core.Errors;
using Cairn.Core.Identity.Policies;
using static Cairn.Core.Tests.Policies.PolicyTestKit;

namespace Cairn.Core.Tests.Policies;

/// <summary>IAM's MalformedPolicyDocument reasons, as IAM reports them for CreatePolicy / PutRolePolicy / CreateRole.</summary>
public sealed class PolicyDocumentParsingTests
{
    private const string Ok = """ "Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::example_bucket" """;

    public static TheoryData<string, PolicyKind, string> MalformedDocuments => new()
    {
        { "This is not a json document", PolicyKind.Managed, "Syntax errors in policy." },
        { "[]", PolicyKind.Inline, "Syntax errors in policy." },
        { """{"Statement":{OK}}""".Replace("OK", Ok), PolicyKind.Managed, "Policy document must be version 2012-10-17 or greater." },
        { """{"Version":"2008-10-17","Statement":{OK}}""".Replace("OK", Ok), PolicyKind.Managed, "Policy document must be version 2012-10-17 or greater." },
        { """{"Version":"2013-10-17","Statement":{OK}}""".Replace("OK", Ok), PolicyKind.Inline, "Syntax errors in policy." },
        { """{"Version":"2012-10-17"}""", PolicyKind.Inline, "Syntax errors in policy." },
        { """{"Version":"2012-10-17","Statement":[]}""", PolicyKind.Inline, "Syntax errors in policy." },
        { """{"Version":"2012-10-17","Statement":["afd"]}""", PolicyKind.Inline, "Syntax errors in policy." },
        { """{"Version":"2012-10-17","Statement":{OK},"Extra field":"value"}""".Replace("OK", Ok), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(Ok + ""","Extra field":"value" """), PolicyKind.Inline, "Syntax errors in policy." },
        { """{"Version":"2012-10-17","Id":["x"],"Statement":{OK}}""".Replace("OK", Ok), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(""" "Effect":"invalid","Action":"s3:ListBucket","Resource":"*" """), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(""" "Action":"s3:ListBucket","Resource":"*" """), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":{"a":"b"}"""), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(""" "Effect":"Allow","Action":[[]],"Resource":"*" """), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(""" "Effect":"Allow","Action":"s3:A","NotAction":"s3:B","Resource":"*" """), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(""" "Effect":"Allow","Action":"s3:A","Resource":"*","NotResource":"*" """), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(Ok + ""","Condition":[]"""), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(Ok + ""","Condition":{"a":"b"}"""), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(Ok + ""","Condition":{"x":{"a":"1"}}"""), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(Ok + ""","Condition":{"DateGreaterThan":{"a":{}}}"""), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(Ok + ""","Condition":{"ForAnyValue::StringEqualsIfExists":{"a":"asf"}}"""), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(""" "Sid":{},"Effect":"Allow","Action":"s3:A","Resource":"*" """), PolicyKind.Inline, "Syntax errors in policy." },
        { Statement(""" "Effect":"Allow","Principal":"*","Action":"s3:A","Resource":"*" """), PolicyKind.Inline, "Policy document should not specify a principal." },
        { Statement(""" "Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"s3:A","Resource":"*" """), PolicyKind.Managed, "Policy document should not specify a principal." },
        { Statement(""" "Effect":"denY","Action":"s3:ListBucket","Resource":"*" """), PolicyKind.Inline, "The policy failed legacy parsing" },
        { Statement(""" "Effect":"allow","Action":"s3:ListBucket","Resource":"*" """), PolicyKind.Inline, "The policy failed legacy parsing" },
        { Statement(Ok + ""","Condition":{"DateGreaterThan":{"aws:CurrentTime":"sdfdsf"}}"""), PolicyKind.Inline, "The policy failed legacy parsing" },
        { Statement(Ok + ""","Condition":{"DateLessThanEquals":{"a":"234-13"}}"""), PolicyKind.Inline, "The policy failed legacy parsing" },
        { Statement(Ok + ""","Condition":{"DateLessThan":{"a":"9223372036854775808"}}"""), PolicyKind.Inline, "The policy failed legacy parsing" },
        { Statement(Ok + ""","Condition":{"DateLessThan":{"aws:CurrentTime":"2016-12-13T02:00:00+24"}}"""), PolicyKind.Inline, "The policy failed legacy parsing" },
        { Statement(Ok + ""","Condition":{"DateLessThan":{"aws:CurrentTime":"2016-12-13T02:00:00+15:60"}}"""), PolicyKind.Inline, "The policy failed legacy parsing" },
        { Statement(Ok + ""","Condition":{"DateLessThan":{"aws:CurrentTime":"2016-12-13T02:00:00+1500"}}"""), PolicyKind.Inline, "The policy failed legacy parsing" },
        { Statement(Ok + ""","Condition":{"DateLessThan":{"aws:CurrentTime":"292278994-01-01"}}"""), PolicyKind.Inline, "The policy failed legacy parsing" },
        { Statement(Ok + ""","Condition":{"DateLessThan":{"aws:CurrentTime":"2017-02-29"}}"""), PolicyKind.Inline, "The policy failed legacy parsing" },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3::example_bucket" """), PolicyKind.Inline, "The policy failed legacy parsing" },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws::fdsasf" """), PolicyKind.Inline, "The policy failed legacy parsing" },
        { Statement(""" "Effect":"Allow","NotAction":"s3:ListBucket","Resource":"arn:aws::::example_bucket" """), PolicyKind.Inline, "The policy failed legacy parsing" },
        { """{"Version":"2012-10-17","Statement":[{"Sid":"sdf","Effect":"Allow","Action":"s3:A","Resource":"*"},{"Sid":"sdf","Effect":"Allow"}]}""", PolicyKind.Inline, "Statement IDs (SID) in a single policy must be unique." },
        { Statement(""" "Effect":"Allow","Resource":"*" """), PolicyKind.Inline, "Policy statement must contain actions." },
        { Statement(""" "Effect":"Allow","Action":[],"Resource":"*" """), PolicyKind.Inline, "Policy statement must contain actions." },
        { """{"Version":"2012-10-17","Statement":[{"Effect":"Deny"},{OK}]}""".Replace("OK", Ok), PolicyKind.Inline, "Policy statement must contain actions." },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket" """), PolicyKind.Inline, "Policy statement must contain resources." },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":[]"""), PolicyKind.Managed, "Policy statement must contain resources." },
        { Statement(""" "Effect":"Allow","Action":"invalid"  """), PolicyKind.Inline, "Policy statement must contain resources." },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"invalid resource" """), PolicyKind.Inline, "Resource invalid resource must be in ARN format or \"*\"." },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"" """), PolicyKind.Inline, "Resource  must be in ARN format or \"*\"." },
        { Statement(""" "Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:bsdfdsafsad" """), PolicyKind.Inline, "Partition \"bsdfdsafsad\" is not valid for resource \"arn:bsdfdsafsad:*:*:*:*\"." },
        { Statement(""" "Effect":"Allow","NotAction":"s3s:ListBucket","Resource":"a:b:c:d:e:f:g:h" """), PolicyKind.Inline, "Partition \"b\" is not valid for resource \"arn:b:c:d:e:f:g:h\"." },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"aws:s3:::example_bucket" """), PolicyKind.Inline, "Partition \"s3\" is not valid for resource \"arn:s3:::example_bucket:*\"." },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws" """), PolicyKind.Inline, "Resource vendor must be fully qualified and cannot contain regexes." },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:us-east-1::example_bucket" """), PolicyKind.Inline, "IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information." },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:us-east-1::example_bucket" """), PolicyKind.Inline, "Resource arn:aws:s3:us-east-1::example_bucket can not contain region information." },
        { Statement(""" "Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:us-west-2:123456789012:my-bucket/key" """), PolicyKind.Inline, "Resource arn:aws:s3:us-west-2:123456789012:my-bucket/key can not contain region information." },
        { Statement(""" "Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:us-west-2:123456789012:accesspointx" """), PolicyKind.Inline, "Resource arn:aws:s3:us-west-2:123456789012:accesspointx can not contain region information." },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:::example_bucket" """), PolicyKind.Inline, "IAM resource path must either be \"*\" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/." },
        { Statement(""" "Effect":"Allow","Action":"invalid","Resource":"*" """), PolicyKind.Inline, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc." },
        { Statement(""" "Effect":"Allow","NotAction":"","Resource":"*" """), PolicyKind.Inline, "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc." },
        { Statement(""" "Effect":"Allow","Action":"s3:List:Bucket","Resource":"*" """), PolicyKind.Inline, "Actions/Condition can contain only one colon." },
        { Statement(""" "Effect":"Allow","Action":"a a:ListBucket","Resource":"*" """), PolicyKind.Inline, "Vendor a a is not valid" },
        { Statement(""" "Effect":"Allow","Action":"*:Untag*","Resource":"*" """), PolicyKind.Inline, "Action vendors (e.g., aws, ec2, etc.) must not contain wildcards" },
        { Statement(""" "Sid":"my-statement","Effect":"Allow","Action":"s3:A","Resource":"*" """), PolicyKind.Managed, "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*" },
        { Statement(""" "Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*" """), PolicyKind.Trust, "Has prohibited field Resource" },
        { Statement(""" "Effect":"Allow","Action":"sts:AssumeRole" """), PolicyKind.Trust, "Missing required field Principal" },
        { Statement(""" "Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"ssm:GetParameter" """), PolicyKind.Trust, "AssumeRole policy may only specify STS AssumeRole actions." },
        { Statement(""" "Effect":"Allow","Principal":{"AWS":"bob"},"Action":"sts:AssumeRole" """), PolicyKind.Trust, "Invalid principal in policy: \"AWS\":\"bob\"" },
    };

    [Theory]
    [MemberData(nameof(MalformedDocuments))]
    public void Malformed_documents_fail_with_IAMs_reason(string json, PolicyKind kind, string message)
    {
        var error = Assert.Throws<AwsException>(() => PolicyDocument.Parse(json, kind));

        Assert.Equal("MalformedPolicyDocument", error.Code);
        Assert.Equal(400, error.HttpStatus);
        Assert.Equal(message, error.Message);
    }

    public static TheoryData<string, PolicyKind> ValidDocuments => new()
    {
        { Statement(Ok), PolicyKind.Managed },
        { """{"Statement":{OK}}""".Replace("OK", Ok), PolicyKind.Inline },
        { """{"Version":"2008-10-17","Statement":[{OK}]}""".Replace("OK", Ok), PolicyKind.Inline },
        { Statement(""" "Effect":"Allow","Action":"iam: asdf safdsf af ","Resource":"*" """), PolicyKind.Managed },
        { Statement(""" "Effect":"Allow","Action":"*","Resource":["arn:aws:s3:::example_bucket","*"]"""), PolicyKind.Managed },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:iam:::user/example_bucket" """), PolicyKind.Managed },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:fdsasf" """), PolicyKind.Managed },
        { Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:ec2:us-east-1::example_bucket" """), PolicyKind.Managed },
        // S3 resource types whose ARNs carry a region.
        { Statement(""" "Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point" """), PolicyKind.Managed },
        { Statement(""" "Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:us-west-2:123456789012:accesspoint/test/object/unit-01/*","arn:aws:s3:*:123456789012:accesspoint/*"]"""), PolicyKind.Managed },
        { Statement(""" "Effect":"Allow","Action":"s3:DescribeJob","Resource":"arn:aws:s3:us-east-1:123456789012:job/*" """), PolicyKind.Managed },
        { Statement(""" "Effect":"Allow","Action":"s3:GetStorageLensConfiguration","Resource":"arn:aws:s3:us-east-1:123456789012:storage-lens/default" """), PolicyKind.Managed },
        { Statement(""" "Effect":"Allow","Action":"s3:GetAccessGrant","Resource":"arn:aws:s3:us-east-1:123456789012:access-grants/default/grant/*" """), PolicyKind.Managed },
        { Statement(Ok + ""","Condition":{}"""), PolicyKind.Managed },
        { Statement(Ok + ""","Condition":{"a":{}}"""), PolicyKind.Managed },
        { Statement(Ok + ""","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2017-07-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2017-12-31T23:59:59Z"}}"""), PolicyKind.Managed },
        { Statement(Ok + ""","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":"Department"}}"""), PolicyKind.Managed },
        // Offsets up to ±23:59 and years from -292275054 to 292278993, beyond what DateTimeOffset holds.
        { Statement(Ok + ""","Condition":{"DateLessThanEquals":{"aws:CurrentTime":"2016-12-13t2:00:00.593194+23"}}"""), PolicyKind.Managed },
        { Statement(Ok + ""","Condition":{"DateLessThan":{"aws:CurrentTime":"2016-12-13T02:00:00+15:00"}}"""), PolicyKind.Managed },
        { Statement(Ok + ""","Condition":{"DateLessThan":{"aws:CurrentTime":"2016-12-13T02:00:00-23:59"}}"""), PolicyKind.Managed },
        { Statement(Ok + ""","Condition":{"DateLessThan":{"aws:CurrentTime":"-292275054"}}"""), PolicyKind.Managed },
        { Statement(Ok + ""","Condition":{"DateGreaterThan":{"aws:CurrentTime":"292278993-12-31T23:59:59Z"}}"""), PolicyKind.Managed },
        { Statement(Ok + ""","Condition":{"DateGreaterThan":{"aws:CurrentTime":"9999-12-31T23:59:59.9999999-01:00"}}"""), PolicyKind.Managed },
        { Statement(Ok + ""","Condition":{"DateGreaterThan":{"aws:CurrentTime":"0001-01-01T00:00:00+01:00"}}"""), PolicyKind.Managed },
        { Statement(Ok + ""","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2016-02-29"}}"""), PolicyKind.Managed },
        { Statement(Ok + ""","Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"s3:max-keys":10}}"""), PolicyKind.Managed },
        { Statement(""" "Sid":"AllowRead1","Effect":"Allow","Action":"ssm:Get*","Resource":"arn:aws:ssm:us-east-1:123456789012:parameter/app/*" """), PolicyKind.Managed },
        { Statement(""" "Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole" """), PolicyKind.Trust },
        { Statement(""" "Effect":"Allow","Principal":{"AWS":["123456789012","arn:aws:iam::123456789012:user/bob"]},"Action":["sts:AssumeRole","sts:TagSession"]"""), PolicyKind.Trust },
    };

    [Theory]
    [MemberData(nameof(ValidDocuments))]
    public void Valid_documents_parse(string json, PolicyKind kind)
    {
        var document = PolicyDocument.Parse(json, kind);

        Assert.NotEmpty(document.Statements);
        Assert.Equal(json, document.Text);
    }

    [Fact]
    public void Statement_may_be_a_single_object_or_an_array_and_values_a_string_or_a_list()
    {
        var single = Doc(Statement(""" "Sid":"One","Effect":"Deny","Action":"ssm:GetParameter","NotResource":["arn:aws:ssm:*:*:parameter/a","arn:aws:ssm:*:*:parameter/b"]"""));

        var statement = Assert.Single(single.Statements);
        Assert.Equal("One", statement.Sid);
        Assert.Equal(PolicyEffect.Deny, statement.Effect);
        Assert.Equal(["ssm:GetParameter"], statement.Actions);
        Assert.True(statement.IsNotResource);
        Assert.Equal(2, statement.Resources.Count);
        Assert.Equal("2012-10-17", single.Version);
    }

    [Fact]
    public void A_missing_version_is_kept_as_missing_and_disables_variables()
    {
        var document = Doc("""{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}""");

        Assert.Null(document.Version);
        Assert.False(document.SupportsVariables);
    }
}
