using Cairn.Core.Errors;
using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Parameters;

/// <summary>The read side of the contract: not-found answers, the GetParameter read path, paging of history and listings.</summary>
public abstract partial class ParameterRepositoryContractTests
{
    [StoreFact]
    public async Task Reads_of_a_missing_parameter_find_nothing_and_writes_to_it_report_it_missing()
    {
        Assert.Null(await Repository.GetAsync(East, "missing", default));
        Assert.Null(await Repository.GetWithoutLabelsAsync(East, "missing", default));
        Assert.Null(await Repository.GetVersionAsync(East, "missing", 1, default));
        Assert.Null(await Repository.GetLabeledVersionAsync(East, "missing", "prod", default));
        Assert.Empty(await Repository.GetHistoryAsync(East, "missing", 0, 50, default));
        Assert.Empty(await Repository.GetTagsAsync(East, "missing", default));
        Assert.Empty(await Repository.ListAsync(East, new ParameterListQuery(string.Empty, null, 10, T0), default));
        Assert.Null(await Repository.NextExpirationAsync(default));

        Assert.False(await Repository.DeleteAsync(East, "missing", T0, default));
        Assert.Empty(await Repository.DeleteManyAsync(East, ["missing"], T0, default));
        Assert.False(await Repository.RemoveTagsAsync(East, "missing", ["k"], T0, default));
        Assert.False(await Repository.DeleteIfExpiredAsync(East, "missing", T0, default));
        Assert.Equal(LabelStatus.ParameterNotFound, (await Repository.UnlabelAsync(East, "missing", 1, ["a"], T0, default)).Status);
    }

    [StoreFact]
    public async Task The_GetParameter_read_path_returns_the_latest_version_without_labels_and_sees_every_write_at_once()
    {
        await PutAsync(Input("/hot", "one"));
        await Repository.LabelAsync(East, "hot", 1, ["prod"], T0, default);
        var first = await Repository.GetWithoutLabelsAsync(East, "hot", default);
        Assert.Equal("one", first!.Version.Value);
        Assert.Empty(first.Version.Labels);
        Assert.Equal(["prod"], (await Repository.GetAsync(East, "hot", default))!.Version.Labels);

        await PutAsync(Input("/hot", "two", overwrite: true));
        var second = await Repository.GetWithoutLabelsAsync(East, "hot", default);
        Assert.Equal(2, second!.LatestVersion);
        Assert.Equal("two", second.Version.Value);

        Assert.True(await Repository.DeleteAsync(East, "hot", T0, default));
        Assert.Null(await Repository.GetWithoutLabelsAsync(East, "hot", default));

        await PutAsync(Input("/hot", "three"));
        Assert.Equal("three", (await Repository.GetWithoutLabelsAsync(East, "hot", default))!.Version.Value);
    }

    [StoreFact]
    public async Task History_comes_oldest_first_a_page_at_a_time_with_each_version_labels()
    {
        for (var i = 1; i <= 5; i++)
        {
            await PutAsync(Input("/h", $"v{i}", overwrite: true));
        }

        await Repository.LabelAsync(East, "h", 3, ["beta", "alpha"], T0, default);

        var first = await Repository.GetHistoryAsync(East, "h", 0, 2, default);
        var second = await Repository.GetHistoryAsync(East, "h", first[^1].Version, 2, default);
        var last = await Repository.GetHistoryAsync(East, "h", second[^1].Version, 2, default);

        Assert.Equal([1L, 2L], first.Select(v => v.Version));
        Assert.Equal([3L, 4L], second.Select(v => v.Version));
        Assert.Equal([5L], last.Select(v => v.Version));
        Assert.Equal(["v3", "v4"], second.Select(v => v.Value));
        Assert.Equal(["alpha", "beta"], second[0].Labels);
        Assert.Empty(second[1].Labels);
    }

    [StoreFact]
    public async Task A_listing_pages_by_its_limit_and_reads_tags_and_labels_only_when_asked()
    {
        await PutAsync(Input("/list/a", "1", tags: [new ParameterTag("team", "a")]));
        await PutAsync(Input("/list/b", "1"));
        await PutAsync(Input("/list/b", "2", overwrite: true));
        await PutAsync(Input("/list/c", "1"));
        await Repository.LabelAsync(East, "list/b", 1, ["old"], T0, default);
        await Repository.LabelAsync(East, "list/b", 2, ["new"], T0, default);

        var keys = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await Repository.ListAsync(East, new ParameterListQuery("list/", after, 1, T0), default);
            if (page.Count == 0)
            {
                break;
            }

            keys.AddRange(page.Select(l => l.Parameter.Key));
            after = page[^1].Parameter.Key;
        }

        Assert.Equal(["list/a", "list/b", "list/c"], keys);
        var full = await Repository.ListAsync(East, new ParameterListQuery("list/", null, 10, T0), default);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "a" }, full[0].Tags);
        Assert.Equal(new Dictionary<string, long> { ["old"] = 1, ["new"] = 2 }, full[1].Labels);
        Assert.Equal(["new"], full[1].Parameter.Version.Labels);
        Assert.Equal("2", full[1].Parameter.Version.Value);

        var bare = await Repository.ListAsync(East, new ParameterListQuery("list/", null, 10, T0, WithTags: false, WithLabels: false), default);
        Assert.Empty(bare[0].Tags);
        Assert.Empty(bare[1].Labels);
    }

    [StoreFact]
    public async Task A_write_its_decide_callback_refuses_stores_nothing_and_the_callback_sees_the_latest_version()
    {
        await PutAsync(Input("/decided", "one"));
        ParameterVersion? seen = null;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Repository.PutAsync(East, Input("/decided", "two").Name, T0, state =>
        {
            seen = state.Latest;
            throw new InvalidOperationException("refused");
        }, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Repository.PutAsync(East, Input("/never", "x").Name, T0,
            _ => throw new InvalidOperationException("refused"), CancellationToken.None));

        Assert.Equal("one", seen!.Value);
        Assert.Equal(1, (await Repository.GetAsync(East, "decided", default))!.LatestVersion);
        Assert.Null(await Repository.GetAsync(East, "never", default));
    }
}
