using Cairn.Core.Identity.Policies;
using static Cairn.Core.Tests.Policies.PolicyTestKit;

namespace Cairn.Core.Tests.Policies;

/// <summary>Policy variables: substituted in 2012-10-17 documents only, defaults, escapes, missing values.</summary>
public sealed class PolicyVariableTests
{
    private static PolicyDecision ReadParameter(string version, string resource, ConditionContext context, string parameter)
    {
        var policy = "{\"Version\":\"" + version + "\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"ssm:GetParameter\",\"Resource\":\"" + resource + "\"}}";
        return Decide("ssm:GetParameter", $"arn:aws:ssm:us-east-1:123456789012:parameter/{parameter}", context, policy);
    }

    [Fact]
    public void Username_variable_scopes_a_resource_to_the_caller()
    {
        const string Resource = "arn:aws:ssm:*:*:parameter/home/${aws:username}/*";
        var bob = Ctx(("aws:username", "bob"));

        Assert.Equal(PolicyDecision.Allow, ReadParameter("2012-10-17", Resource, bob, "home/bob/token"));
        Assert.Equal(PolicyDecision.ImplicitDeny, ReadParameter("2012-10-17", Resource, bob, "home/alice/token"));
    }

    [Fact]
    public void Variables_are_literal_text_in_a_2008_10_17_document()
    {
        const string Resource = "arn:aws:ssm:*:*:parameter/home/${aws:username}/*";
        var bob = Ctx(("aws:username", "bob"));

        Assert.Equal(PolicyDecision.ImplicitDeny, ReadParameter("2008-10-17", Resource, bob, "home/bob/token"));
        Assert.Equal(PolicyDecision.Allow, ReadParameter("2008-10-17", Resource, bob, "home/${aws:username}/token"));
    }

    [Fact]
    public void A_variable_without_a_value_matches_nothing_unless_it_has_a_default()
    {
        Assert.Equal(PolicyDecision.ImplicitDeny, ReadParameter("2012-10-17", "arn:aws:ssm:*:*:parameter/home/${aws:username}", new ConditionContext(), "home/"));
        Assert.Equal(
            PolicyDecision.Allow,
            ReadParameter("2012-10-17", "arn:aws:ssm:*:*:parameter/team/${aws:PrincipalTag/team, 'shared'}", new ConditionContext(), "team/shared"));
        Assert.Equal(
            PolicyDecision.Allow,
            ReadParameter("2012-10-17", "arn:aws:ssm:*:*:parameter/team/${aws:PrincipalTag/team, 'shared'}", Ctx(("aws:PrincipalTag/team", "red")), "team/red"));
    }

    [Fact]
    public void Escapes_produce_literal_wildcard_characters()
    {
        // ${*} is a literal star: it matches only a parameter really named with one.
        Assert.Equal(PolicyDecision.Allow, ReadParameter("2012-10-17", "arn:aws:ssm:*:*:parameter/odd${*}name", new ConditionContext(), "odd*name"));
        Assert.Equal(PolicyDecision.ImplicitDeny, ReadParameter("2012-10-17", "arn:aws:ssm:*:*:parameter/odd${*}name", new ConditionContext(), "oddXname"));
        Assert.Equal(PolicyDecision.Allow, ReadParameter("2012-10-17", "arn:aws:ssm:*:*:parameter/what${?}", new ConditionContext(), "what?"));
        Assert.Equal(PolicyDecision.Allow, ReadParameter("2012-10-17", "arn:aws:ssm:*:*:parameter/cost${$}", new ConditionContext(), "cost$"));
    }

    [Fact]
    public void Substituted_values_are_not_wildcards()
    {
        const string Resource = "arn:aws:ssm:*:*:parameter/home/${aws:username}";

        Assert.Equal(PolicyDecision.ImplicitDeny, ReadParameter("2012-10-17", Resource, Ctx(("aws:username", "*")), "home/bob"));
    }

    [Fact]
    public void Variables_work_in_condition_values()
    {
        // Policy reference: "StringLike": {"s3:prefix": ["home/${aws:username}/*"]}.
        var policy = Statement(""" "Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket","Condition":{"StringLike":{"s3:prefix":["","home/","home/${aws:username}/*"]}} """);

        Assert.Equal(PolicyDecision.Allow, Decide("s3:ListBucket", "arn:aws:s3:::bucket", Ctx(("aws:username", "bob"), ("s3:prefix", "home/bob/docs")), policy));
        Assert.Equal(PolicyDecision.Allow, Decide("s3:ListBucket", "arn:aws:s3:::bucket", Ctx(("aws:username", "bob"), ("s3:prefix", "home/")), policy));
        Assert.Equal(PolicyDecision.ImplicitDeny, Decide("s3:ListBucket", "arn:aws:s3:::bucket", Ctx(("aws:username", "bob"), ("s3:prefix", "home/alice/")), policy));
    }

    [Fact]
    public void A_condition_whose_variable_has_no_value_does_not_hold_even_when_negated()
    {
        var policy = Statement(""" "Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalTag/owner":"${aws:username}"}} """);

        Assert.Equal(PolicyDecision.ImplicitDeny, Decide("s3:ListBucket", "*", Ctx(("aws:PrincipalTag/owner", "x")), policy));
        Assert.Equal(PolicyDecision.Allow, Decide("s3:ListBucket", "*", Ctx(("aws:PrincipalTag/owner", "x"), ("aws:username", "bob")), policy));
    }

    [Fact]
    public void Default_values_may_contain_doubled_quotes()
    {
        var policy = Statement(""" "Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"${aws:missing, 'it''s'}"}} """);

        Assert.Equal(PolicyDecision.Allow, Decide("s3:ListBucket", "*", Ctx(("k", "it's")), policy));
    }
}
