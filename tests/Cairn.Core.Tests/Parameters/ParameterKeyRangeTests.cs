using Cairn.Core.Parameters;

namespace Cairn.Core.Tests.Parameters;

public sealed class ParameterKeyRangeTests
{
    private static ParameterStringFilter Filter(string key, string? option, params string[] values) => new(key, option, values);

    private static List<string> Spans(string keyPrefix, params ParameterStringFilter[] filters) =>
        ParameterKeyRange.For(keyPrefix, filters).Select(s => (s.Exact ? "=" : "^") + s.Prefix).ToList();

    [Fact]
    public void Without_a_narrowing_filter_the_span_is_the_key_prefix()
    {
        Assert.Equal(["^"], Spans(string.Empty));
        Assert.Equal(["^"], Spans(string.Empty, Filter("Type", null, "String"), Filter("Name", "Contains", "db"), Filter("tag:env", null)));
        Assert.Equal(["^app/"], Spans("app/", Filter("Label", null, "stable")));
    }

    [Fact]
    public void Path_and_Name_filters_become_key_prefixes_and_Equals_an_exact_key()
    {
        Assert.Equal(["^app/"], Spans(string.Empty, Filter("Path", "Recursive", "/app")));
        Assert.Equal(["^app/prod/"], Spans(string.Empty, Filter("Path", null, "/app/prod/")));
        Assert.Equal(["^"], Spans(string.Empty, Filter("Path", "OneLevel", "/")));
        Assert.Equal(["^app"], Spans(string.Empty, Filter("Name", "BeginsWith", "/app")));
        Assert.Equal(["^app"], Spans(string.Empty, Filter("Name", "BeginsWith", "app")));
        Assert.Equal(["^"], Spans(string.Empty, Filter("Name", "BeginsWith", "/")));
        Assert.Equal(["=app/db"], Spans(string.Empty, Filter("Name", null, "/app/db")));
        Assert.Equal(["=app/db"], Spans(string.Empty, Filter("Name", "Equals", "app/db")));
    }

    [Fact]
    public void Values_are_ORed_in_key_order_without_a_span_inside_another()
    {
        Assert.Equal(["^a", "^b"], Spans(string.Empty, Filter("Name", "BeginsWith", "/b", "/ab", "/a", "/a")));
        Assert.Equal(["^a/", "^ab"], Spans(string.Empty, Filter("Name", "BeginsWith", "/ab", "/a/")));
        Assert.Equal(["=a", "=a/b", "=ab"], Spans(string.Empty, Filter("Name", "Equals", "/ab", "/a/b", "/a", "a")));
        Assert.Equal(["^x/", "^y/"], Spans(string.Empty, Filter("Path", "Recursive", "/y", "/x", "/x/z")));
    }

    [Fact]
    public void Filters_are_ANDed_and_an_impossible_combination_reads_nothing()
    {
        Assert.Equal(["^app/prod/"], Spans(string.Empty, Filter("Path", "Recursive", "/app"), Filter("Name", "BeginsWith", "/app/prod/")));
        Assert.Equal(["^app/"], Spans(string.Empty, Filter("Path", "Recursive", "/app"), Filter("Name", "BeginsWith", "/ap")));
        Assert.Equal(["=app/db"], Spans(string.Empty, Filter("Name", "Equals", "/app/db", "/other"), Filter("Path", "OneLevel", "/app")));
        Assert.Empty(Spans(string.Empty, Filter("Path", "Recursive", "/app"), Filter("Name", "BeginsWith", "/apple")));
        Assert.Empty(Spans("app/", Filter("Name", "Equals", "/app")));
        Assert.Empty(Spans(string.Empty, Filter("Name", "BeginsWith", "/a%"), Filter("Name", "Equals", "/a_b")));
    }

    [Fact]
    public void Prefixes_are_taken_literally_not_as_patterns()
    {
        Assert.Equal(["^a%"], Spans(string.Empty, Filter("Name", "BeginsWith", "/a%")));
        Assert.Equal(["^a_"], Spans(string.Empty, Filter("Name", "BeginsWith", "/a_")));
        Assert.Equal(["^é/"], Spans(string.Empty, Filter("Name", "BeginsWith", "/é/")));
    }

    [Theory]
    [InlineData("^a", "a", false)]
    [InlineData("^a", "a/x", false)]
    [InlineData("^a", "b", true)]
    [InlineData("^a/", "a", false)]
    [InlineData("^a/", "a.z", false)]
    [InlineData("^a/", "a0", true)]
    [InlineData("=a", "a", true)]
    [InlineData("=a", "a/x", true)]
    [InlineData("=b", "a/x", false)]
    public void A_span_ends_before_a_resume_key_only_when_none_of_its_keys_is_after_it(string span, string key, bool ends)
    {
        var range = new ParameterKeyRange(span[1..], span[0] == '=');

        Assert.Equal(ends, range.EndsAtOrBefore(key));
    }
}
