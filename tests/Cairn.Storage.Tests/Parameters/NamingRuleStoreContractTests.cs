using Cairn.Core.Parameters.Naming;
using Cairn.Storage.Parameters;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Parameters;

/// <summary>What every INamingRuleStore must do; each backend runs this suite through a subclass.</summary>
public abstract class NamingRuleStoreContractTests
{
    private static readonly DateTimeOffset Updated = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

    protected abstract INamingRuleStore Store { get; }

    private static NamingRule Rule(string account = "111122223333", string prefix = "/", string pattern = "{app}_{kind}_{detail}", NamingMode mode = NamingMode.Enforce, string? example = "my_app_Docker_credentials_password") =>
        new(account, prefix, pattern, mode, example, Updated, $"arn:aws:iam::{account}:user/admin");

    [StoreFact]
    public async Task A_stored_rule_is_listed_with_everything_it_was_given()
    {
        var rule = Rule();
        await Store.PutAsync(rule, CancellationToken.None);

        Assert.Equal([rule], await Store.ListAsync(rule.AccountId, CancellationToken.None));
    }

    [StoreFact]
    public async Task Putting_a_rule_for_the_same_prefix_replaces_it_and_other_prefixes_stay()
    {
        await Store.PutAsync(Rule(), CancellationToken.None);
        await Store.PutAsync(Rule(prefix: "/prod/", pattern: "regex:[a-z-]+", example: null), CancellationToken.None);
        var replaced = Rule(pattern: "{app:lower}-{kind:lower}-{detail:lower}", mode: NamingMode.Warn, example: null);
        await Store.PutAsync(replaced, CancellationToken.None);

        var rules = await Store.ListAsync("111122223333", CancellationToken.None);

        Assert.Equal(["/", "/prod/"], rules.Select(r => r.PathPrefix));
        Assert.Equal(replaced, rules[0]);
        Assert.Null(rules[1].Example);
    }

    [StoreFact]
    public async Task Rules_belong_to_one_account()
    {
        await Store.PutAsync(Rule(account: "111122223333"), CancellationToken.None);

        Assert.Empty(await Store.ListAsync("444455556666", CancellationToken.None));
        Assert.False(await Store.DeleteAsync("444455556666", "/", CancellationToken.None));
        Assert.Single(await Store.ListAsync("111122223333", CancellationToken.None));
    }

    [StoreFact]
    public async Task Deleting_a_rule_removes_only_that_prefix_and_reports_whether_there_was_one()
    {
        await Store.PutAsync(Rule(), CancellationToken.None);
        await Store.PutAsync(Rule(prefix: "/prod/"), CancellationToken.None);

        Assert.True(await Store.DeleteAsync("111122223333", "/prod/", CancellationToken.None));
        Assert.False(await Store.DeleteAsync("111122223333", "/prod/", CancellationToken.None));
        Assert.Equal(["/"], (await Store.ListAsync("111122223333", CancellationToken.None)).Select(r => r.PathPrefix));
    }
}
