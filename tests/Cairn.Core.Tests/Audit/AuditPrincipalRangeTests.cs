using Cairn.Core.Audit;

namespace Cairn.Core.Tests.Audit;

public sealed class AuditPrincipalRangeTests
{
    [Theory]
    [InlineData("arn:aws:iam::000000000000:user/ci", "arn:aws:iam::000000000000:user/cj")]
    [InlineData("arn:aws:sts::000000000000:assumed-role/deploy/", "arn:aws:sts::000000000000:assumed-role/deploy0")]
    [InlineData("ab\u007f", "ac")]
    [InlineData("a\u00e9", "b")]
    public void The_upper_bound_is_above_every_string_with_the_prefix_and_below_the_next_one(string prefix, string expected)
    {
        var upper = AuditPrincipalRange.UpperBound(prefix);

        Assert.Equal(expected, upper);
        Assert.True(string.CompareOrdinal(prefix + "\u007e\u007e", upper) < 0);
    }

    [Fact]
    public void A_prefix_with_nothing_to_increment_has_no_upper_bound() =>
        Assert.Null(AuditPrincipalRange.UpperBound("\u007f\u00e9"));

    [Theory]
    [InlineData("arn:aws:iam::000000000000:user/ci", true)]
    [InlineData("user/ci", false)]
    [InlineData("/arn:x", false)]
    public void Only_a_filter_that_starts_with_arn_colon_is_read_from_the_beginning(string filter, bool expected) =>
        Assert.Equal(expected, AuditPrincipalRange.IsArnStart(filter));
}
