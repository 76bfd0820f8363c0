using Cairn.Core.Errors;
using Cairn.Core.Parameters;

namespace Cairn.Core.Tests.Parameters;

public sealed class ParameterPageTokenTests
{
    [Fact]
    public void A_token_round_trips()
    {
        Assert.Equal("app/db", ParameterPageToken.Decode(ParameterPageToken.Encode("app/db")));
        Assert.Equal(42, ParameterPageToken.DecodeVersion(ParameterPageToken.Encode("42")));
    }

    [Theory]
    [InlineData("garbage!")]
    [InlineData("")]
    [InlineData("aGVsbG8")]
    public void Anything_else_is_InvalidNextToken(string token)
    {
        Assert.Equal("InvalidNextToken", Assert.Throws<AwsException>(() => ParameterPageToken.Decode(token)).Code);
    }

    [Fact]
    public void A_key_token_is_not_a_version_token()
    {
        Assert.Equal("InvalidNextToken", Assert.Throws<AwsException>(() => ParameterPageToken.DecodeVersion(ParameterPageToken.Encode("app"))).Code);
    }
}
