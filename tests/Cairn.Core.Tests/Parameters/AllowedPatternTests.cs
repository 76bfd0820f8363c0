using Cairn.Core.Errors;
using Cairn.Core.Parameters;

namespace Cairn.Core.Tests.Parameters;

public sealed class AllowedPatternTests
{
    [Theory]
    [InlineData("^\\d+$", "123")]
    [InlineData("\\d+", "123")]
    [InlineData("[a-z]+|[0-9]+", "42")]
    public void Matching_values_pass(string pattern, string value) => AllowedPattern.Check(pattern, value);

    [Theory]
    [InlineData("\\d+", "12a")]
    [InlineData("[a-z]+|[0-9]+", "a1")]
    public void The_whole_value_must_match(string pattern, string value)
    {
        Assert.Equal("ParameterPatternMismatchException", Assert.Throws<AwsException>(() => AllowedPattern.Check(pattern, value)).Code);
    }

    [Fact]
    public void An_invalid_regular_expression_is_refused()
    {
        Assert.Equal("InvalidAllowedPatternException", Assert.Throws<AwsException>(() => AllowedPattern.Validate("([a-z")).Code);
    }

    [Fact]
    public void Data_types_are_text_and_two_aws_types()
    {
        ParameterDataTypes.Validate("aws:ec2:image");
        var error = Assert.Throws<AwsException>(() => ParameterDataTypes.Validate("Text"));
        Assert.Equal("The following data type is not supported: Text (Data type names are all lowercase.)", error.Message);
    }
}
