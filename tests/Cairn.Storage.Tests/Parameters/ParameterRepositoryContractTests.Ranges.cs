using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Parameters;

// The key ranges DescribeParameters and GetParametersByPath read (ParameterKeyRange): a prefix is compared as a key
// range, byte for byte, never as a pattern, and a resume key outside the prefix neither widens nor skips it.
public abstract partial class ParameterRepositoryContractTests
{
    private static readonly string[] RangeNames = ["/a", "/a/b", "/a/b/c", "/a.b", "/a_b", "/a0", "/ab", "/ab/c", "/abc", "/b", "/b/a", "a_", "ax"];

    private async Task<List<string>> KeysAsync(string prefix, string? after = null, int limit = 100) =>
        (await Repository.ListAsync(East, new ParameterListQuery(prefix, after, limit, T0, WithTags: false, WithLabels: false), default))
            .Select(l => l.Parameter.Key).ToList();

    private async Task PutRangeNamesAsync()
    {
        foreach (var name in RangeNames)
        {
            await PutAsync(Input(name, "v"));
        }
    }

    [StoreFact]
    public async Task A_key_prefix_lists_exactly_the_keys_starting_with_it_in_key_order()
    {
        await PutRangeNamesAsync();

        Assert.Equal(["a", "a.b", "a/b", "a/b/c", "a0", "a_", "a_b", "ab", "ab/c", "abc", "ax"], await KeysAsync("a"));
        Assert.Equal(["a/b", "a/b/c"], await KeysAsync("a/"));
        Assert.Equal(["ab", "ab/c", "abc"], await KeysAsync("ab"));
        Assert.Equal(["ab/c"], await KeysAsync("ab/"));
        Assert.Equal(["a/b/c"], await KeysAsync("a/b/"));
        Assert.Equal(RangeNames.Select(n => n.TrimStart('/')).Order(StringComparer.Ordinal), await KeysAsync(string.Empty));
    }

    [StoreFact]
    public async Task Percent_underscore_and_non_ASCII_prefixes_are_literal()
    {
        await PutRangeNamesAsync();

        Assert.Empty(await KeysAsync("a%"));
        Assert.Empty(await KeysAsync("%"));
        Assert.Equal(["a_", "a_b"], await KeysAsync("a_"));
        Assert.Equal(["a_b"], await KeysAsync("a_b"));
        Assert.Empty(await KeysAsync("é"));
        Assert.Empty(await KeysAsync("a/é"));
        Assert.Empty(await KeysAsync("a\u007f"));
        Assert.Empty(await KeysAsync("😀"));
    }

    [StoreFact]
    public async Task The_first_row_of_a_prefix_is_the_key_equal_to_it_when_it_exists()
    {
        await PutRangeNamesAsync();

        Assert.Equal(["ab"], await KeysAsync("ab", limit: 1));
        Assert.Equal(["a/b/c"], await KeysAsync("a/b/", limit: 1));
        Assert.Equal(["b"], await KeysAsync("b", limit: 1));
    }

    [StoreFact]
    public async Task A_resume_key_before_inside_or_after_the_prefix_continues_within_it()
    {
        await PutRangeNamesAsync();

        Assert.Equal(["ab", "ab/c", "abc"], await KeysAsync("ab", after: "a/b"));
        Assert.Equal(["ab/c", "abc"], await KeysAsync("ab", after: "ab"));
        Assert.Equal(["abc"], await KeysAsync("ab", after: "ab/c"));
        Assert.Equal(["abc"], await KeysAsync("ab", after: "ab0"));
        Assert.Empty(await KeysAsync("ab", after: "abc"));
        Assert.Empty(await KeysAsync("a/", after: "b"));
        Assert.Equal(["a/b/c"], await KeysAsync("a/", after: "a/b"));
    }
}
