using Cairn.Core.Errors;

namespace Cairn.Core.Tests.Errors;

public sealed class AwsExceptionTests
{
    [Fact]
    public void Json_and_query_access_denied_are_both_access_denied()
    {
        Assert.True(AwsErrors.AccessDenied("no").IsAccessDenied);
        Assert.True(AwsErrors.QueryAccessDenied("no").IsAccessDenied);
    }

    [Fact]
    public void Other_errors_are_not_access_denied()
    {
        Assert.False(AwsErrors.Validation("bad").IsAccessDenied);
        Assert.False(AwsErrors.NoSuchUser("bob").IsAccessDenied);
    }
}
