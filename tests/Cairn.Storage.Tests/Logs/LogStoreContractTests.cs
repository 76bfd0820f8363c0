using Cairn.Storage.BuildLogs;
using Cairn.Storage.Logs;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Logs;

/// <summary>What every ILogStore must do; each backend runs this suite through a subclass.</summary>
public abstract class LogStoreContractTests
{
    protected const string Account = "111122223333";
    protected const string Region = "us-east-1";
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract ILogStore Store { get; }

    private static LogGroupRecord Group(string name, int? retention = null, string region = Region) =>
        new(Account, region, name, Created, retention, "STANDARD", null, false, new Dictionary<string, string> { ["team"] = "web" });

    private async Task<long> StreamAsync(string group, string stream)
    {
        await Store.CreateGroupAsync(Group(group), None);
        Assert.Equal(StreamCreation.Created, await Store.CreateStreamAsync(Account, Region, group, stream, Created, None));
        return (await Store.GetStreamAsync(Account, Region, group, stream, None))!.Id;
    }

    private static LogEventInput Event(long ms, string message) => new(DateTimeOffset.FromUnixTimeMilliseconds(ms), message);

    [StoreFact]
    public async Task A_created_group_is_read_back_and_its_name_is_taken_once_per_region()
    {
        Assert.True(await Store.CreateGroupAsync(Group("/app/web", 30), None));
        Assert.False(await Store.CreateGroupAsync(Group("/app/web"), None));
        Assert.True(await Store.CreateGroupAsync(Group("/app/web", region: "eu-west-1"), None));

        var read = await Store.GetGroupAsync(Account, Region, "/app/web", None);

        Assert.NotNull(read);
        Assert.Equal(30, read.RetentionInDays);
        Assert.Equal(Created, read.Created);
        Assert.Equal("web", read.Tags["team"]);
        Assert.Null(await Store.GetGroupAsync(Account, Region, "/app/other", None));
    }

    [StoreFact]
    public async Task Groups_are_listed_by_name_under_a_prefix()
    {
        foreach (var name in new[] { "/b", "/a/2", "/a/1", "/c" })
        {
            await Store.CreateGroupAsync(Group(name), None);
        }

        var under = await Store.ListGroupsAsync(Account, Region, "/a/", None);
        var all = await Store.ListGroupsAsync(Account, Region, string.Empty, None);

        Assert.Equal(["/a/1", "/a/2"], under.Select(g => g.Name));
        Assert.Equal(["/a/1", "/a/2", "/b", "/c"], all.Select(g => g.Name));
    }

    [StoreFact]
    public async Task Retention_is_set_and_removed_and_only_groups_with_one_are_swept()
    {
        await Store.CreateGroupAsync(Group("/kept"), None);
        await Store.CreateGroupAsync(Group("/expiring"), None);

        Assert.True(await Store.SetRetentionAsync(Account, Region, "/expiring", 7, None));
        Assert.False(await Store.SetRetentionAsync(Account, Region, "/ghost", 7, None));
        Assert.Equal(["/expiring"], (await Store.ListGroupsWithRetentionAsync(None)).Select(g => g.Name));

        Assert.True(await Store.SetRetentionAsync(Account, Region, "/expiring", null, None));
        Assert.Empty(await Store.ListGroupsWithRetentionAsync(None));
    }

    [StoreFact]
    public async Task Tags_change_in_one_step_and_a_failed_change_leaves_them()
    {
        await Store.CreateGroupAsync(Group("/tagged"), None);

        var changed = await Store.UpdateTagsAsync(Account, Region, "/tagged", tags => new Dictionary<string, string>(tags) { ["env"] = "prod" }, None);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.UpdateTagsAsync(Account, Region, "/tagged", _ => throw new InvalidOperationException("refused"), None));

        Assert.Equal(2, changed!.Count);
        Assert.Equal("prod", (await Store.GetGroupAsync(Account, Region, "/tagged", None))!.Tags["env"]);
        Assert.Null(await Store.UpdateTagsAsync(Account, Region, "/ghost", t => t, None));
    }

    [StoreFact]
    public async Task Streams_need_their_group_and_a_free_name()
    {
        Assert.Equal(StreamCreation.GroupNotFound, await Store.CreateStreamAsync(Account, Region, "/ghost", "s", Created, None));
        await StreamAsync("/g", "s");

        Assert.Equal(StreamCreation.AlreadyExists, await Store.CreateStreamAsync(Account, Region, "/g", "s", Created, None));
        Assert.Equal(StreamCreation.Created, await Store.CreateStreamAsync(Account, Region, "/g", "a", Created, None));
        Assert.Equal(["a", "s"], (await Store.ListStreamsAsync(Account, Region, "/g", None)).Select(s => s.Name));
    }

    [StoreFact]
    public async Task A_build_stream_makes_its_group_once_and_names_the_build()
    {
        await Store.EnsureBuildStreamAsync(Account, Region, "/aws/codebuild/app", "u1", "u1", Created, None);
        await Store.EnsureBuildStreamAsync(Account, Region, "/aws/codebuild/app", "u1", "u1", Created.AddHours(1), None);
        await Store.EnsureBuildStreamAsync(Account, Region, "/aws/codebuild/app", "prefix/u2", "u2", Created.AddHours(2), None);

        var streams = await Store.ListStreamsAsync(Account, Region, "/aws/codebuild/app", None);

        Assert.Equal(Created, (await Store.GetGroupAsync(Account, Region, "/aws/codebuild/app", None))!.Created);
        Assert.Equal([("prefix/u2", "u2"), ("u1", "u1")], streams.Select(s => (s.Name, s.BuildUuid!)));
        Assert.Equal(Created, streams[1].Created);
    }

    [StoreFact]
    public async Task Put_events_are_read_back_by_index_range_and_time()
    {
        var stream = await StreamAsync("/g", "s");
        Assert.True(await Store.PutEventsAsync(stream, [Event(1000, "one"), Event(2000, "two")], Created, None));
        Assert.True(await Store.PutEventsAsync(stream, [Event(3000, "three")], Created.AddSeconds(1), None));
        Assert.False(await Store.PutEventsAsync(stream + 1000, [Event(3000, "lost")], Created, None));

        var all = await Store.ReadEventsAsync(stream, new BuildLogRange(), None);
        var last = await Store.ReadEventsAsync(stream, new BuildLogRange { FromEnd = true, Limit = 2 }, None);
        var middle = await Store.ReadEventsAsync(stream, new BuildLogRange { Since = DateTimeOffset.FromUnixTimeMilliseconds(2000), Until = DateTimeOffset.FromUnixTimeMilliseconds(3000) }, None);
        var info = await Store.GetStreamAsync(Account, Region, "/g", "s", None);

        Assert.Equal([(0L, "one"), (1L, "two"), (2L, "three")], all.Events.Select(e => (e.Index, e.Message)));
        Assert.Equal(3, all.Count);
        Assert.Equal(["two", "three"], last.Events.Select(e => e.Message));
        Assert.Equal(["two"], middle.Events.Select(e => e.Message));
        Assert.Equal(1000, info!.FirstEventTime!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(3000, info.LastEventTime!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(Created.AddSeconds(1), info.LastIngestionTime);
        Assert.Equal(11, info.StoredBytes);
    }

    [StoreFact]
    public async Task A_search_finds_matching_events_and_where_the_next_one_is()
    {
        var stream = await StreamAsync("/g", "s");
        await Store.PutEventsAsync(stream, [Event(1, "ERROR a"), Event(2, "ok"), Event(3, "ERROR b"), Event(4, "ERROR c")], Created, None);

        var first = await Store.SearchEventsAsync(stream, new BuildLogSearch(["ERROR"], [], []) { Limit = 2 }, None);
        var rest = await Store.SearchEventsAsync(stream, new BuildLogSearch(["ERROR"], [], []) { From = first.Next!.Value, Limit = 2 }, None);

        Assert.Equal(["ERROR a", "ERROR b"], first.Events.Select(e => e.Message));
        Assert.Equal(3, first.Next);
        Assert.Equal(["ERROR c"], rest.Events.Select(e => e.Message));
        Assert.Null(rest.Next);
    }

    [StoreFact]
    public async Task Deleting_old_events_keeps_newer_ones_their_indexes_and_the_streams_times()
    {
        var stream = await StreamAsync("/g", "s");
        var other = await StreamAsync("/other", "s");
        await Store.PutEventsAsync(stream, [Event(1000, "old"), Event(5000, "new")], Created, None);
        await Store.PutEventsAsync(other, [Event(1000, "old elsewhere")], Created, None);

        var deleted = await Store.DeleteEventsBeforeAsync(Account, Region, "/g", DateTimeOffset.FromUnixTimeMilliseconds(2000), None);

        Assert.Equal(1, deleted);
        Assert.Equal([(1L, "new")], (await Store.ReadEventsAsync(stream, new BuildLogRange(), None)).Events.Select(e => (e.Index, e.Message)));
        Assert.Equal(5000, (await Store.GetStreamAsync(Account, Region, "/g", "s", None))!.FirstEventTime!.Value.ToUnixTimeMilliseconds());
        Assert.Single((await Store.ReadEventsAsync(other, new BuildLogRange(), None)).Events);
    }

    [StoreFact]
    public async Task Deleting_a_group_takes_its_streams_and_events_and_a_stream_its_events()
    {
        var stream = await StreamAsync("/g", "s");
        await Store.CreateStreamAsync(Account, Region, "/g", "t", Created, None);
        await Store.PutEventsAsync(stream, [Event(1, "x")], Created, None);

        var streamGone = await Store.DeleteStreamAsync(Account, Region, "/g", "t", None);
        var gone = await Store.DeleteGroupAsync(Account, Region, "/g", None);

        Assert.Equal("t", streamGone!.Name);
        Assert.Null(await Store.DeleteStreamAsync(Account, Region, "/g", "t", None));
        Assert.Equal(["s"], gone!.Select(s => s.Name));
        Assert.Null(await Store.GetGroupAsync(Account, Region, "/g", None));
        Assert.Null(await Store.DeleteGroupAsync(Account, Region, "/g", None));
        Assert.Empty((await Store.ReadEventsAsync(stream, new BuildLogRange(), None)).Events);
        Assert.Equal(StreamCreation.GroupNotFound, await Store.CreateStreamAsync(Account, Region, "/g", "s", Created, None));
    }
}
