using Cairn.Core.Identity.Policies;
using static Cairn.Core.Tests.Policies.PolicyTestKit;

namespace Cairn.Core.Tests.Policies;

/// <summary>Deny beats allow beats implicit deny; Action / NotAction / Resource / NotResource matching (AWS policy reference examples).</summary>
public sealed class PolicyEvaluationTests
{
    private const string SsmReadOnly =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:Describe*","ssm:Get*","ssm:List*"],"Resource":"*"}]}""";

    private const string Parameter = "arn:aws:ssm:us-east-1:123456789012:parameter/my_app_Docker_credentials_password";

    [Fact]
    public void Nothing_is_allowed_without_policies()
    {
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide("ssm:GetParameters", Parameter, null));
    }

    [Fact]
    public void AmazonSSMReadOnlyAccess_allows_reads_and_not_writes()
    {
        Assert.Equal(PolicyDecision.Allow, Decide("ssm:GetParameters", Parameter, null, SsmReadOnly));
        Assert.Equal(PolicyDecision.Allow, Decide("ssm:DescribeParameters", "*", null, SsmReadOnly));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide("ssm:PutParameter", Parameter, null, SsmReadOnly));
    }

    [Fact]
    public void An_explicit_deny_wins_over_an_allow_and_names_the_deciding_statement()
    {
        var deny = Statement(""" "Sid":"NoPasswords","Effect":"Deny","Action":"ssm:GetParameter*","Resource":"arn:aws:ssm:*:*:parameter/*password*" """);

        var result = Evaluate("ssm:GetParameters", Parameter, null, SsmReadOnly, deny);

        Assert.Equal(PolicyDecision.ExplicitDeny, result.Decision);
        Assert.Equal("NoPasswords", result.Statement!.Sid);
        Assert.Equal("policy1", result.Policy!.Source);
    }

    [Fact]
    public void The_allowing_statement_is_reported()
    {
        var result = Evaluate("ssm:GetParameter", Parameter, null, SsmReadOnly);

        Assert.True(result.IsAllowed);
        Assert.Equal(0, result.Statement!.Index);
        Assert.Equal("Statement[0]", result.Statement.DisplayName);
    }

    public static TheoryData<string, string, string, bool> ActionCases => new()
    {
        { "ssm:GetParameter", "ssm:GetParameter", "exact", true },
        { "ssm:getparameter", "SSM:GetParameter", "case-insensitive", true },
        { "ssm:Get*", "ssm:GetParametersByPath", "prefix star", true },
        { "ssm:*Parameter", "ssm:DeleteParameter", "suffix star", true },
        { "ssm:*Parameter", "ssm:DeleteParameters", "suffix star is anchored", false },
        { "ssm:Get?arameter", "ssm:GetParameter", "question mark", true },
        { "ssm:Get?arameter", "ssm:GetPParameter", "question mark is one character", false },
        { "iam:*AccessKey*", "iam:CreateAccessKey", "stars both ends", true },
        { "*", "kms:Decrypt", "star alone", true },
        { "ssm:*", "ssmmessages:OpenDataChannel", "service boundary", false },
        { "s3:GetObject", "s3:GetObjectAcl", "no implicit prefix", false },
    };

    [Theory]
    [MemberData(nameof(ActionCases))]
    public void Actions_match_case_insensitively_with_wildcards(string pattern, string action, string why, bool matches)
    {
        var policy = Statement($$""" "Effect":"Allow","Action":"{{pattern}}","Resource":"*" """);

        Assert.True(matches == (Decide(action, "arn:aws:s3:::b", null, policy) == PolicyDecision.Allow), why);
    }

    public static TheoryData<string, string, string, bool> ResourceCases => new()
    {
        { "*", "arn:aws:ssm:us-east-1:123456789012:parameter/a", "star alone", true },
        { "arn:aws:ssm:us-east-1:123456789012:parameter/app/*", "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/password", "star crosses slashes", true },
        { "arn:aws:ssm:us-east-1:123456789012:parameter/app/*", "arn:aws:ssm:us-east-1:123456789012:parameter/App/db", "case-sensitive", false },
        { "arn:aws:ssm:*:123456789012:parameter/dev-*", "arn:aws:ssm:eu-west-1:123456789012:parameter/dev-db", "star in region segment", true },
        { "arn:aws:ssm:*:123456789012:parameter/dev-*", "arn:aws:ssm:eu-west-1:999999999999:parameter/dev-db", "account segment still compared", false },
        { "arn:aws:ssm:us-east-?:*:parameter/x", "arn:aws:ssm:us-east-2:123456789012:parameter/x", "question mark", true },
        { "arn:aws:ssm:*", "arn:aws:ssm:us-east-1:123456789012:parameter/x", "short pattern covers the rest", true },
        { "arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a:b/c", "last segment keeps its colons", true },
        { "arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::123456789012:user/bob", "variable", true },
        { "arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::123456789012:user/alice", "variable for someone else", false },
        { "arn:aws:ssm:us-east-1:123456789012:parameter/x", "*", "a pattern does not match the resource *", false },
    };

    [Theory]
    [MemberData(nameof(ResourceCases))]
    public void Resources_match_case_sensitively_per_segment(string pattern, string resource, string why, bool matches)
    {
        var policy = Statement($$""" "Effect":"Allow","Action":"*","Resource":"{{pattern}}" """);

        var decision = Decide("ssm:GetParameter", resource, Ctx(("aws:username", "bob")), policy);

        Assert.True(matches == (decision == PolicyDecision.Allow), why);
    }

    [Fact]
    public void NotAction_with_Allow_grants_every_unlisted_action()
    {
        // The policy reference's example: everything except IAM.
        var policy = Statement(""" "Effect":"Allow","NotAction":"iam:*","Resource":"*" """);

        Assert.Equal(PolicyDecision.Allow, Decide("ssm:PutParameter", "*", null, policy));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide("iam:CreateUser", "*", null, policy));
    }

    [Fact]
    public void NotAction_with_Deny_denies_every_unlisted_action()
    {
        var deny = Statement(""" "Effect":"Deny","NotAction":["ssm:Get*","ssm:Describe*"],"Resource":"*" """);
        var all = Statement(""" "Effect":"Allow","Action":"*","Resource":"*" """);

        Assert.Equal(PolicyDecision.Allow, Decide("ssm:GetParameter", Parameter, null, all, deny));
        Assert.Equal(PolicyDecision.ExplicitDeny, Decide("ssm:DeleteParameter", Parameter, null, all, deny));
    }

    [Fact]
    public void NotResource_applies_to_every_other_resource()
    {
        var deny = Statement(""" "Effect":"Deny","Action":"ssm:*","NotResource":"arn:aws:ssm:*:*:parameter/public/*" """);
        var all = Statement(""" "Effect":"Allow","Action":"ssm:*","Resource":"*" """);

        Assert.Equal(PolicyDecision.Allow, Decide("ssm:GetParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/public/x", null, all, deny));
        Assert.Equal(PolicyDecision.ExplicitDeny, Decide("ssm:GetParameter", Parameter, null, all, deny));
    }

    [Fact]
    public void Least_privilege_build_role_reads_only_its_parameter()
    {
        var policy = """{"Version":"2012-10-17","Statement":[{"Action":"ssm:GetParameters","Effect":"Allow","Resource":"arn:aws:ssm:us-east-1:123456789012:parameter/my_app_Docker_credentials_password"}]}""";

        Assert.Equal(PolicyDecision.Allow, Decide("ssm:GetParameters", Parameter, null, policy));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide("ssm:GetParameters", Parameter + "2", null, policy));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide("ssm:GetParameter", Parameter, null, policy));
    }

    [Fact]
    public void AmazonSSMFullAccess_service_linked_role_statement_needs_its_condition()
    {
        const string FullAccess = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudwatch:PutMetricData","ds:CreateComputer","ds:DescribeDirectories","ec2:DescribeInstanceStatus","logs:*","ssm:*","ec2messages:*"],"Resource":"*"},{"Effect":"Allow","Action":"iam:CreateServiceLinkedRole","Resource":"arn:aws:iam::*:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM*","Condition":{"StringLike":{"iam:AWSServiceName":"ssm.amazonaws.com"}}},{"Effect":"Allow","Action":["iam:DeleteServiceLinkedRole","iam:GetServiceLinkedRoleDeletionStatus"],"Resource":"arn:aws:iam::*:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM*"},{"Effect":"Allow","Action":["ssmmessages:CreateControlChannel","ssmmessages:CreateDataChannel","ssmmessages:OpenControlChannel","ssmmessages:OpenDataChannel"],"Resource":"*"}]}""";
        const string Role = "arn:aws:iam::123456789012:role/aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM";

        Assert.Equal(PolicyDecision.Allow, Decide("ssm:PutParameter", Parameter, null, FullAccess));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide("iam:CreateServiceLinkedRole", Role, null, FullAccess));
        Assert.Equal(PolicyDecision.Allow, Decide("iam:CreateServiceLinkedRole", Role, Ctx(("iam:AWSServiceName", "ssm.amazonaws.com")), FullAccess));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide("kms:Decrypt", "*", null, FullAccess));
    }

    [Fact]
    public void AccessDenied_messages_use_AWSs_wording()
    {
        const string Principal = "arn:aws:sts::123456789012:assumed-role/codebuild-service-role/AWSCodeBuild-4f1c";

        Assert.Equal(
            $"User: {Principal} is not authorized to perform: ssm:GetParameters on resource: {Parameter} because no identity-based policy allows the ssm:GetParameters action",
            AccessDeniedMessage.For(Principal, "ssm:GetParameters", Parameter, PolicyDecision.ImplicitDeny));
        Assert.Equal(
            $"User: {Principal} is not authorized to perform: ssm:GetParameters on resource: {Parameter} with an explicit deny in an identity-based policy",
            AccessDeniedMessage.For(Principal, "ssm:GetParameters", Parameter, PolicyDecision.ExplicitDeny));
    }
}
