using Cairn.Core.Errors;
using Cairn.Core.Parameters;

namespace Cairn.Core.Tests.Parameters;

public sealed class ParameterPathTests
{
    [Theory]
    [InlineData("/", "")]
    [InlineData("/app", "app/")]
    [InlineData("/app/prod/", "app/prod/")]
    public void Paths_become_key_prefixes(string raw, string prefix) => Assert.Equal(prefix, ParameterPath.Parse(raw).KeyPrefix);

    [Theory]
    [InlineData("app")]
    [InlineData("/a//b")]
    [InlineData("/a b")]
    [InlineData("//")]
    public void Non_paths_get_AWS_path_text(string raw)
    {
        var error = Assert.Throws<AwsException>(() => ParameterPath.Parse(raw));

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal(
            "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.",
            error.Message);
    }

    [Fact]
    public void The_root_path_holds_root_level_parameters_and_everything_when_recursive()
    {
        var root = ParameterPath.Parse("/");

        Assert.True(root.Contains("foo", recursive: false));
        Assert.False(root.Contains("app/foo", recursive: false));
        Assert.True(root.Contains("app/foo", recursive: true));
    }

    [Fact]
    public void A_path_contains_its_children_not_itself_nor_its_siblings()
    {
        var app = ParameterPath.Parse("/app");

        Assert.True(app.Contains("app/a", false));
        Assert.False(app.Contains("app/a/b", false));
        Assert.True(app.Contains("app/a/b", true));
        Assert.False(app.Contains("app", true));
        Assert.False(app.Contains("apple/a", true));
    }

    [Fact]
    public void The_path_ARN_has_no_leading_or_trailing_slash()
    {
        var scope = new ParameterScope("000000000000", "us-east-1");

        Assert.Equal("arn:aws:ssm:us-east-1:000000000000:parameter/app/prod", ParameterPath.Parse("/app/prod/").ArnIn(scope));
    }
}
