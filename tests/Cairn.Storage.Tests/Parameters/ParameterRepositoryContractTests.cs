using Cairn.Core.Errors;
using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Parameters;

/// <summary>What every IParameterRepository must do; each backend runs this suite through a subclass.</summary>
public abstract partial class ParameterRepositoryContractTests
{
    protected static readonly ParameterScope East = new("000000000000", "us-east-1");
    protected static readonly ParameterScope West = new("000000000000", "us-west-2");
    protected static readonly DateTimeOffset T0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected abstract IParameterRepository Repository { get; }

    protected static PutParameterInput Input(string name, string value, string? type = ParameterTypes.String, bool overwrite = false,
        IReadOnlyList<ParameterTag>? tags = null, ParameterPolicySet? policies = null, string? tier = null, DateTimeOffset? now = null) => new()
    {
        Name = ParameterName.ParseForWrite(name, East),
        Value = value,
        Type = type,
        Overwrite = overwrite,
        Tags = tags ?? [],
        Policies = policies,
        Tier = tier,
        User = "arn:aws:iam::000000000000:root",
        Now = now ?? T0,
    };

    protected Task<ParameterVersion> PutAsync(PutParameterInput input, ParameterScope? scope = null) =>
        Repository.PutAsync(scope ?? East, input.Name, input.Now, state =>
        {
            var plan = PutParameterPlanner.Resolve(input, state.Latest);
            return PutParameterPlanner.Decide(input, plan, input.Value, state);
        }, CancellationToken.None);

    [StoreFact]
    public async Task First_write_is_version_1_and_each_overwrite_adds_one()
    {
        Assert.Equal(1, (await PutAsync(Input("/app/db", "one"))).Version);
        Assert.Equal(2, (await PutAsync(Input("/app/db", "two", type: null, overwrite: true))).Version);

        var snapshot = await Repository.GetAsync(East, "app/db", default);
        Assert.NotNull(snapshot);
        Assert.Equal("/app/db", snapshot.Name);
        Assert.Equal(2, snapshot.LatestVersion);
        Assert.Equal("two", snapshot.Version.Value);
        Assert.Equal(ParameterTypes.String, snapshot.Version.Type);
        Assert.Equal("one", (await Repository.GetVersionAsync(East, "app/db", 1, default))!.Value);
    }

    [StoreFact]
    public async Task Writing_an_existing_name_without_overwrite_is_refused_and_stores_nothing()
    {
        await PutAsync(Input("name", "one"));

        var error = await Assert.ThrowsAsync<AwsException>(() => PutAsync(Input("/name", "two")));

        Assert.Equal("ParameterAlreadyExists", error.Code);
        Assert.Single(await Repository.GetHistoryAsync(East, "name", 0, 50, default));
    }

    [StoreFact]
    public async Task Concurrent_writers_to_one_name_get_every_version_exactly_once()
    {
        await PutAsync(Input("/race", "seed"));
        const int Writers = 8;
        const int WritesEach = 50;

        var tasks = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var versions = new List<long>();
            for (var i = 0; i < WritesEach; i++)
            {
                versions.Add((await PutAsync(Input("/race", $"{w}-{i}", type: null, overwrite: true))).Version);
            }

            return versions;
        })).ToList();
        var all = (await Task.WhenAll(tasks)).SelectMany(v => v).Order().ToList();

        var total = 1 + (Writers * WritesEach);
        Assert.Equal(Enumerable.Range(2, total - 1).Select(v => (long)v), all);
        var history = await Repository.GetHistoryAsync(East, "race", 0, 200, default);
        Assert.Equal(Enumerable.Range(total - 99, 100).Select(v => (long)v), history.Select(v => v.Version));
        Assert.Equal(total, (await Repository.GetAsync(East, "race", default))!.LatestVersion);
    }

    [StoreFact]
    public async Task The_101st_version_drops_the_oldest()
    {
        for (var i = 1; i <= 101; i++)
        {
            await PutAsync(Input("/roll", $"v{i}", overwrite: true));
        }

        var history = await Repository.GetHistoryAsync(East, "roll", 0, 200, default);
        Assert.Equal(100, history.Count);
        Assert.Equal(2, history[0].Version);
        Assert.Equal(101, history[^1].Version);
        Assert.Null(await Repository.GetVersionAsync(East, "roll", 1, default));
    }

    [StoreFact]
    public async Task A_labelled_oldest_version_blocks_the_101st_write()
    {
        for (var i = 1; i <= 100; i++)
        {
            await PutAsync(Input("/pinned", $"v{i}", overwrite: true));
        }

        await Repository.LabelAsync(East, "pinned", 1, ["keep"], T0, default);

        var error = await Assert.ThrowsAsync<AwsException>(() => PutAsync(Input("/pinned", "v101", overwrite: true)));
        Assert.Equal("ParameterMaxVersionLimitExceeded", error.Code);
        Assert.Contains("Version 1, the oldest version", error.Message, StringComparison.Ordinal);
        Assert.Equal(100, (await Repository.GetAsync(East, "pinned", default))!.LatestVersion);

        await Repository.LabelAsync(East, "pinned", 2, ["keep"], T0, default);
        Assert.Equal(101, (await PutAsync(Input("/pinned", "v101", overwrite: true))).Version);
    }

    [StoreFact]
    public async Task A_label_moves_when_attached_to_another_version()
    {
        await PutAsync(Input("/l", "one"));
        await PutAsync(Input("/l", "two", overwrite: true));

        var first = await Repository.LabelAsync(East, "l", 1, ["prod", "1bad", "awsx"], T0, default);
        Assert.Equal(LabelStatus.Done, first.Status);
        Assert.Equal(["1bad", "awsx"], first.InvalidLabels);
        Assert.Equal(1, (await Repository.GetLabeledVersionAsync(East, "l", "prod", default))!.Version);

        var moved = await Repository.LabelAsync(East, "l", null, ["prod"], T0, default);
        Assert.Equal(2, moved.Version);
        Assert.Equal(2, (await Repository.GetLabeledVersionAsync(East, "l", "prod", default))!.Version);
        Assert.Empty((await Repository.GetVersionAsync(East, "l", 1, default))!.Labels);
        Assert.Equal(["prod"], (await Repository.GetAsync(East, "l", default))!.Version.Labels);
    }

    [StoreFact]
    public async Task A_version_holds_at_most_ten_labels()
    {
        await PutAsync(Input("/ten", "v"));
        await Repository.LabelAsync(East, "ten", 1, Enumerable.Range(0, 10).Select(i => $"l{i}").ToList(), T0, default);

        var error = await Assert.ThrowsAsync<AwsException>(() => Repository.LabelAsync(East, "ten", 1, ["eleventh"], T0, default));

        Assert.Equal("ParameterVersionLabelLimitExceeded", error.Code);
        Assert.Equal(10, (await Repository.GetAsync(East, "ten", default))!.Version.Labels.Count);
    }

    [StoreFact]
    public async Task Labelling_reports_a_missing_parameter_or_version()
    {
        Assert.Equal(LabelStatus.ParameterNotFound, (await Repository.LabelAsync(East, "none", null, ["a"], T0, default)).Status);
        await PutAsync(Input("/v", "x"));
        Assert.Equal(LabelStatus.VersionNotFound, (await Repository.LabelAsync(East, "v", 7, ["a"], T0, default)).Status);
        Assert.Equal(LabelStatus.VersionNotFound, (await Repository.UnlabelAsync(East, "v", 7, ["a"], T0, default)).Status);
    }

    [StoreFact]
    public async Task Unlabel_removes_only_labels_on_that_version()
    {
        await PutAsync(Input("/u", "one"));
        await PutAsync(Input("/u", "two", overwrite: true));
        await Repository.LabelAsync(East, "u", 1, ["a", "b"], T0, default);
        await Repository.LabelAsync(East, "u", 2, ["c"], T0, default);

        var outcome = await Repository.UnlabelAsync(East, "u", 1, ["a", "c", "zz"], T0, default);

        Assert.Equal(["a"], outcome.RemovedLabels);
        Assert.Equal(["c", "zz"], outcome.InvalidLabels);
        Assert.Equal(["b"], (await Repository.GetVersionAsync(East, "u", 1, default))!.Labels);
    }

    [StoreFact]
    public async Task Regions_keep_separate_parameters_under_one_name()
    {
        await PutAsync(Input("/shared", "east"), East);
        await PutAsync(Input("/shared", "west"), West);
        await PutAsync(Input("/shared", "west2", overwrite: true), West);

        Assert.Equal("east", (await Repository.GetAsync(East, "shared", default))!.Version.Value);
        Assert.Equal(2, (await Repository.GetAsync(West, "shared", default))!.LatestVersion);
        Assert.True(await Repository.DeleteAsync(West, "shared", T0, default));
        Assert.NotNull(await Repository.GetAsync(East, "shared", default));
    }

    [StoreFact]
    public async Task Delete_removes_versions_labels_and_tags_and_a_new_parameter_starts_at_version_1()
    {
        await PutAsync(Input("/gone", "one", tags: [new ParameterTag("team", "a")]));
        await PutAsync(Input("/gone", "two", overwrite: true));
        await Repository.LabelAsync(East, "gone", 1, ["old"], T0, default);

        Assert.True(await Repository.DeleteAsync(East, "gone", T0, default));
        Assert.False(await Repository.DeleteAsync(East, "gone", T0, default));
        Assert.Null(await Repository.GetAsync(East, "gone", default));

        Assert.Equal(1, (await PutAsync(Input("/gone", "again"))).Version);
        Assert.Empty(await Repository.GetTagsAsync(East, "gone", default));
        Assert.Null(await Repository.GetLabeledVersionAsync(East, "gone", "old", default));
    }

    [StoreFact]
    public async Task Delete_many_reports_which_existed()
    {
        await PutAsync(Input("a", "1"));
        await PutAsync(Input("b", "2"));

        var deleted = await Repository.DeleteManyAsync(East, ["a", "missing", "b"], T0, default);

        Assert.Equal(["a", "b"], deleted);
    }

    [StoreFact]
    public async Task Tags_are_added_replaced_and_removed_and_capped_at_fifty()
    {
        await PutAsync(Input("/t", "v", tags: [new ParameterTag("env", "dev")]));

        Assert.True(await Repository.AddTagsAsync(East, "t", [new ParameterTag("env", "prod"), new ParameterTag("team", "x")], T0, default));
        Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["team"] = "x" }, await Repository.GetTagsAsync(East, "t", default));

        Assert.True(await Repository.RemoveTagsAsync(East, "t", ["team", "absent"], T0, default));
        Assert.Equal(["env"], (await Repository.GetTagsAsync(East, "t", default)).Keys);

        var many = Enumerable.Range(0, 50).Select(i => new ParameterTag($"k{i}", "v")).ToList();
        var error = await Assert.ThrowsAsync<AwsException>(() => Repository.AddTagsAsync(East, "t", many, T0, default));
        Assert.Equal("TooManyTagsError", error.Code);
        Assert.Single(await Repository.GetTagsAsync(East, "t", default));

        Assert.False(await Repository.AddTagsAsync(East, "nope", many.Take(1).ToList(), T0, default));
    }

    [StoreFact]
    public async Task Listing_is_ordered_by_key_within_a_prefix_and_resumes_after_a_key()
    {
        foreach (var name in new[] { "/app/b", "/app/a", "/app/sub/c", "/other/x", "root" })
        {
            await PutAsync(Input(name, "v"));
        }

        var app = await Repository.ListAsync(East, new ParameterListQuery("app/", null, 10, T0), default);
        Assert.Equal(["app/a", "app/b", "app/sub/c"], app.Select(l => l.Parameter.Key));

        var rest = await Repository.ListAsync(East, new ParameterListQuery(string.Empty, "app/b", 2, T0), default);
        Assert.Equal(["app/sub/c", "other/x"], rest.Select(l => l.Parameter.Key));
    }

    [StoreFact]
    public async Task An_expired_parameter_is_hidden_from_listings_swept_and_recreated_from_version_1()
    {
        var expiry = T0.AddHours(1);
        var policies = new ParameterPolicySet([new ParameterPolicy("Expiration", "{}")], expiry);
        await PutAsync(Input("/exp", "v", tier: ParameterTiers.Advanced, policies: policies));

        Assert.Equal(expiry, await Repository.NextExpirationAsync(default));
        Assert.Empty(await Repository.ListExpiredAsync(T0, 10, default));
        var later = expiry.AddSeconds(1);
        Assert.True((await Repository.GetAsync(East, "exp", default))!.IsExpired(later));
        Assert.Empty(await Repository.ListAsync(East, new ParameterListQuery(string.Empty, null, 10, later), default));

        var due = Assert.Single(await Repository.ListExpiredAsync(later, 10, default));
        Assert.Equal("exp", due.Key);
        Assert.True(await Repository.DeleteIfExpiredAsync(East, "exp", later, default));
        Assert.Null(await Repository.GetAsync(East, "exp", default));

        await PutAsync(Input("/exp2", "v", tier: ParameterTiers.Advanced, policies: policies));
        Assert.Equal(1, (await PutAsync(Input("/exp2", "new", now: later))).Version);
        Assert.Null((await Repository.GetAsync(East, "exp2", default))!.ExpiresAt);
    }
}
