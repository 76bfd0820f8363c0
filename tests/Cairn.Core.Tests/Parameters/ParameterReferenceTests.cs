using Cairn.Core.Errors;
using Cairn.Core.Parameters;

namespace Cairn.Core.Tests.Parameters;

public sealed class ParameterReferenceTests
{
    private static readonly ParameterScope Scope = new("000000000000", "us-east-1");

    [Fact]
    public void A_plain_name_has_no_selector()
    {
        var reference = ParameterReference.Parse("/app/db");

        Assert.Equal(("/app/db", "app/db", null, null, null), (reference.Name, reference.Key, reference.Version, reference.Label, reference.Selector));
    }

    [Fact]
    public void A_number_after_the_colon_selects_a_version()
    {
        var reference = ParameterReference.Parse("/app/db:12");

        Assert.Equal("/app/db", reference.Name);
        Assert.Equal(12, reference.Version);
        Assert.Equal(":12", reference.Selector);
    }

    [Fact]
    public void Anything_else_after_the_colon_selects_a_label()
    {
        var reference = ParameterReference.Parse("root:prod");

        Assert.Equal("root", reference.Key);
        Assert.Equal("prod", reference.Label);
        Assert.Equal(":prod", reference.Selector);
    }

    [Fact]
    public void An_ARN_names_the_parameter_and_keeps_its_spelling()
    {
        var reference = ParameterReference.Parse("arn:aws:ssm:us-east-1:000000000000:parameter/app/db:prod");

        Assert.Equal("arn:aws:ssm:us-east-1:000000000000:parameter/app/db", reference.Name);
        Assert.Equal("app/db", reference.Key);
        Assert.Equal("prod", reference.Label);
        Assert.False(reference.IsOutside(Scope));
    }

    [Fact]
    public void An_ARN_of_another_region_or_account_is_outside_the_request()
    {
        Assert.True(ParameterReference.Parse("arn:aws:ssm:eu-west-1:000000000000:parameter/x").IsOutside(Scope));
        Assert.True(ParameterReference.Parse("arn:aws:ssm:us-east-1:111111111111:parameter/x").IsOutside(Scope));
    }

    [Theory]
    [InlineData("name:")]
    [InlineData("arn:aws:s3:::bucket")]
    [InlineData("arn:aws:ssm:us-east-1:000000000000:document/x")]
    [InlineData("arn:aws:ssm:us-east-1:000000000000:parameter//x")]
    [InlineData("bad name:1")]
    [InlineData("name:99999999999999999999")]
    public void Malformed_references_are_validation_errors(string raw)
    {
        Assert.Equal("ValidationException", Assert.Throws<AwsException>(() => ParameterReference.Parse(raw)).Code);
    }

    [Theory]
    [InlineData("name:a:b")]
    [InlineData("name:2:3")]
    [InlineData("arn:aws:ssm:us-east-1:000000000000:parameter/x:2:3")]
    public void A_second_selector_names_no_parameter_and_is_ParameterNotFound_naming_what_was_asked(string raw)
    {
        var error = Assert.Throws<AwsException>(() => ParameterReference.Parse(raw));

        Assert.Equal("ParameterNotFound", error.Code);
        Assert.Equal($"Parameter {raw} not found.", error.Message);
    }
}
