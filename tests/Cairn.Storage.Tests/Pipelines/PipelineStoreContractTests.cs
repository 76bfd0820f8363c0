using Cairn.Core.Pipelines;
using Cairn.Storage.Pipelines;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Pipelines;

/// <summary>What every IPipelineStore must do; each backend runs this suite through a subclass.</summary>
public abstract class PipelineStoreContractTests
{
    private static readonly PipelineScope Scope = new("111122223333", "us-east-1");
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
    private static readonly DateTimeOffset Later = Created.AddHours(1);

    protected abstract IPipelineStore Store { get; }

    private static string Declaration(string stage) => $$"""{"name":"app","stages":[{"name":"{{stage}}","actions":[]}]}""";

    private static PipelineRecord Pipeline(string name = "app", PipelineScope? scope = null, params PipelineTag[] tags) =>
        new(scope ?? Scope, name, Declaration("Source"), 1, Created, Created, tags);

    [StoreFact]
    public async Task A_created_pipeline_is_read_back_as_version_1_with_its_declaration_times_and_tags()
    {
        Assert.True(await Store.CreateAsync(Pipeline(tags: new PipelineTag("team", "web")), CancellationToken.None));

        var found = await Store.GetAsync(Scope, "app", null, CancellationToken.None);

        Assert.NotNull(found?.Pipeline);
        Assert.Equal(1, found.Latest);
        Assert.Equal(Declaration("Source"), found.Pipeline.Declaration);
        Assert.Equal(1, found.Pipeline.Version);
        Assert.Equal(Created, found.Pipeline.Created);
        Assert.Equal(Created, found.Pipeline.Updated);
        Assert.Equal([new PipelineTag("team", "web")], found.Pipeline.Tags);
        Assert.Equal("arn:aws:codepipeline:us-east-1:111122223333:app", found.Pipeline.Arn);
    }

    [StoreFact]
    public async Task A_second_pipeline_of_the_same_name_is_refused_but_another_region_may_have_one()
    {
        Assert.True(await Store.CreateAsync(Pipeline(), CancellationToken.None));

        Assert.False(await Store.CreateAsync(Pipeline(), CancellationToken.None));
        Assert.True(await Store.CreateAsync(Pipeline(scope: Scope with { Region = "eu-west-1" }), CancellationToken.None));
        Assert.Null(await Store.GetAsync(Scope with { AccountId = "999999999999" }, "app", null, CancellationToken.None));
    }

    [StoreFact]
    public async Task An_update_stores_the_next_version_and_every_earlier_version_stays_readable()
    {
        await Store.CreateAsync(Pipeline(), CancellationToken.None);

        var updated = await Store.UpdateAsync(Scope, "app", Declaration("Fetch"), Later, CancellationToken.None);
        var latest = await Store.GetAsync(Scope, "app", null, CancellationToken.None);
        var first = await Store.GetAsync(Scope, "app", 1, CancellationToken.None);

        Assert.Equal(2, updated!.Version);
        Assert.Equal(Later, updated.Updated);
        Assert.Equal(Created, updated.Created);
        Assert.Equal(Declaration("Fetch"), latest!.Pipeline!.Declaration);
        Assert.Equal(Declaration("Source"), first!.Pipeline!.Declaration);
        Assert.Equal(2, first.Latest);
    }

    [StoreFact]
    public async Task A_version_the_pipeline_never_had_is_answered_with_the_latest_number_and_no_pipeline()
    {
        await Store.CreateAsync(Pipeline(), CancellationToken.None);

        var lookup = await Store.GetAsync(Scope, "app", 7, CancellationToken.None);

        Assert.NotNull(lookup);
        Assert.Null(lookup.Pipeline);
        Assert.Equal(1, lookup.Latest);
    }

    [StoreFact]
    public async Task Updating_or_tagging_a_pipeline_that_does_not_exist_returns_null()
    {
        Assert.Null(await Store.UpdateAsync(Scope, "missing", Declaration("S"), Later, CancellationToken.None));
        Assert.Null(await Store.UpdateTagsAsync(Scope, "missing", tags => tags, CancellationToken.None));
    }

    [StoreFact]
    public async Task Delete_removes_the_pipeline_and_its_versions_and_the_name_can_be_used_again()
    {
        await Store.CreateAsync(Pipeline(), CancellationToken.None);
        await Store.UpdateAsync(Scope, "app", Declaration("Fetch"), Later, CancellationToken.None);

        Assert.True(await Store.DeleteAsync(Scope, "app", CancellationToken.None));
        Assert.False(await Store.DeleteAsync(Scope, "app", CancellationToken.None));
        Assert.Null(await Store.GetAsync(Scope, "app", null, CancellationToken.None));
        Assert.True(await Store.CreateAsync(Pipeline(), CancellationToken.None));
        Assert.Equal(1, (await Store.GetAsync(Scope, "app", null, CancellationToken.None))!.Latest);
        Assert.Null((await Store.GetAsync(Scope, "app", 2, CancellationToken.None))!.Pipeline);
    }

    [StoreFact]
    public async Task List_pages_through_the_latest_versions_in_name_order()
    {
        foreach (var name in new[] { "c", "a", "b" })
        {
            await Store.CreateAsync(Pipeline(name), CancellationToken.None);
        }

        await Store.UpdateAsync(Scope, "b", Declaration("Fetch"), Later, CancellationToken.None);

        var first = await Store.ListAsync(Scope, null, 2, CancellationToken.None);
        var rest = await Store.ListAsync(Scope, first[^1].Name, 2, CancellationToken.None);

        Assert.Equal(["a", "b"], first.Select(p => p.Name));
        Assert.Equal(2, first[1].Version);
        Assert.Equal(["c"], rest.Select(p => p.Name));
        Assert.Empty(await Store.ListAsync(Scope with { Region = "eu-west-1" }, null, 10, CancellationToken.None));
    }

    [StoreFact]
    public async Task Tags_change_in_one_step_and_a_failing_change_leaves_them_as_they_were()
    {
        await Store.CreateAsync(Pipeline(tags: new PipelineTag("a", "1")), CancellationToken.None);

        var changed = await Store.UpdateTagsAsync(Scope, "app", tags => [.. tags, new PipelineTag("b", "2")], CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.UpdateTagsAsync(Scope, "app", _ => throw new InvalidOperationException("too many"), CancellationToken.None));
        var found = await Store.GetAsync(Scope, "app", null, CancellationToken.None);

        Assert.Equal([new PipelineTag("a", "1"), new PipelineTag("b", "2")], changed);
        Assert.Equal(changed, found!.Pipeline!.Tags);
    }

    [StoreFact]
    public async Task Scopes_lists_each_account_and_region_that_has_a_pipeline_once()
    {
        var europe = new PipelineScope("111122223333", "eu-west-1");
        Assert.Empty(await Store.ListScopesAsync(CancellationToken.None));
        await Store.CreateAsync(Pipeline("a"), CancellationToken.None);
        await Store.CreateAsync(Pipeline("b"), CancellationToken.None);
        await Store.CreateAsync(Pipeline("a", europe), CancellationToken.None);

        var scopes = await Store.ListScopesAsync(CancellationToken.None);

        Assert.Equal([europe, Scope], scopes);
    }
}
