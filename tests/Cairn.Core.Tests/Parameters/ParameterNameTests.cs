using Cairn.Core.Errors;
using Cairn.Core.Parameters;

namespace Cairn.Core.Tests.Parameters;

public sealed class ParameterNameTests
{
    private static readonly ParameterScope Scope = new("000000000000", "us-east-1");

    private const string InvalidName =
        "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_";

    private const string ReservedPrefix = "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).";

    [Theory]
    [InlineData("foo", "foo")]
    [InlineData("/foo", "foo")]
    [InlineData("/a/b/c", "a/b/c")]
    [InlineData("My_Param-1.0", "My_Param-1.0")]
    [InlineData("  /padded  ", "padded")]
    public void Valid_names_parse_to_their_key(string raw, string key)
    {
        var name = ParameterName.ParseForWrite(raw, Scope);

        Assert.Equal(key, name.Key);
        Assert.Equal(raw.Trim(' '), name.Name);
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("x/b/c")]
    [InlineData("/x//b")]
    [InlineData("/x/")]
    [InlineData("/")]
    [InlineData("a:b")]
    [InlineData("e@mail")]
    [InlineData("/ssm/x")]
    [InlineData("/SSM/x")]
    public void Malformed_names_get_AWS_one_validation_text(string raw)
    {
        var error = Assert.Throws<AwsException>(() => ParameterName.ParseForWrite(raw, Scope));

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal(InvalidName, error.Message);
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("awsfoo")]
    [InlineData("AWS-thing")]
    [InlineData("ssmparam")]
    [InlineData("/ssmparam")]
    [InlineData("/Awsfoo")]
    public void Reserved_prefixes_are_refused_on_write(string raw)
    {
        var error = Assert.Throws<AwsException>(() => ParameterName.ParseForWrite(raw, Scope));

        Assert.Equal("ValidationException", error.Code);
        Assert.Equal(ReservedPrefix, error.Message);
    }

    [Theory]
    [InlineData("/aws/service/x")]
    [InlineData("/AWS/mine")]
    public void Writing_under_aws_is_access_denied(string raw)
    {
        var error = Assert.Throws<AwsException>(() => ParameterName.ParseForWrite(raw, Scope));

        Assert.Equal("AccessDeniedException", error.Code);
        Assert.Equal($"No access to reserved parameter name: {raw}.", error.Message);
    }

    [Fact]
    public void Reserved_names_can_still_be_read()
    {
        Assert.Equal("aws/service/x", ParameterName.ParseForRead("/aws/service/x").Key);
    }

    [Fact]
    public void Fifteen_levels_are_allowed_and_sixteen_are_not()
    {
        var fifteen = string.Concat(Enumerable.Range(1, 15).Select(i => $"/l{i}"));
        Assert.Equal(15, ParameterName.ParseForWrite(fifteen, Scope).Depth);

        var error = Assert.Throws<AwsException>(() => ParameterName.ParseForWrite(fifteen + "/l16", Scope));
        Assert.Equal("HierarchyLevelLimitExceededException", error.Code);
        Assert.StartsWith("A hierarchy can have a maximum of 15 levels.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_1011_character_limit_counts_the_ARN_prefix()
    {
        var room = ParameterName.MaxArnLength - Scope.ArnPrefix.Length;
        Assert.Equal(room, ParameterName.ParseForWrite("/" + new string('a', room), Scope).Key.Length);

        var error = Assert.Throws<AwsException>(() => ParameterName.ParseForWrite(new string('a', room + 1), Scope));
        Assert.Equal("ValidationException", error.Code);
        Assert.Contains("1011", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ARN_drops_the_leading_slash()
    {
        Assert.Equal("arn:aws:ssm:us-east-1:000000000000:parameter/a/b", Scope.ArnFor(ParameterName.ParseForRead("/a/b").Key));
        Assert.Equal("arn:aws:ssm:us-east-1:000000000000:parameter/foo", Scope.ArnFor(ParameterName.ParseForRead("foo").Key));
    }
}
