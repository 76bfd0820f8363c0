using Cairn.Core.Identity.Policies;
using static Cairn.Core.Tests.Policies.PolicyTestKit;

namespace Cairn.Core.Tests.Policies;

/// <summary>Role trust policies: who may assume the role.</summary>
public sealed class TrustPolicyTests
{
    private const string CodeBuildTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private static readonly TrustCaller Bob = new("123456789012", ["arn:aws:iam::123456789012:user/bob"]);

    private static TrustEvaluation Trust(string json, TrustCaller caller, string action = "sts:AssumeRole") =>
        PolicyEvaluator.EvaluateTrust(Doc(json, PolicyKind.Trust), caller, action, new ConditionContext());

    [Fact]
    public void The_CodeBuild_service_may_assume_a_CodeBuild_service_role()
    {
        var result = Trust(CodeBuildTrust, TrustCaller.ForService("codebuild.amazonaws.com"));

        Assert.True(result.IsAllowed);
        Assert.Equal(PrincipalMatch.Specific, result.Match);
    }

    [Fact]
    public void Other_services_and_users_may_not()
    {
        Assert.False(Trust(CodeBuildTrust, TrustCaller.ForService("ec2.amazonaws.com")).IsAllowed);
        Assert.False(Trust(CodeBuildTrust, Bob).IsAllowed);
        Assert.False(Trust(CodeBuildTrust, TrustCaller.ForService("codebuild.amazonaws.com"), "sts:TagSession").IsAllowed);
    }

    [Theory]
    [InlineData("123456789012", PrincipalMatch.Account)]
    [InlineData("arn:aws:iam::123456789012:root", PrincipalMatch.Account)]
    [InlineData("arn:aws:iam::123456789012:user/bob", PrincipalMatch.Specific)]
    [InlineData("*", PrincipalMatch.Account)]
    [InlineData("arn:aws:iam::123456789012:user/alice", PrincipalMatch.None)]
    [InlineData("999999999999", PrincipalMatch.None)]
    public void An_AWS_principal_names_an_account_or_one_identity(string principal, PrincipalMatch expected)
    {
        var json = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + principal + "\"},\"Action\":\"sts:AssumeRole\"}}";

        Assert.Equal(expected, Trust(json, Bob).Match);
    }

    [Fact]
    public void A_Deny_naming_the_caller_wins()
    {
        const string Json = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sts:*"}]}""";

        Assert.Equal(PolicyDecision.ExplicitDeny, Trust(Json, Bob).Decision);
    }
}
