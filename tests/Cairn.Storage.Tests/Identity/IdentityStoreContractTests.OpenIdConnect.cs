using Cairn.Core.Identity.Iam;
using Cairn.Storage.Tests.Postgres;

namespace Cairn.Storage.Tests.Identity;

/// <summary>The contract for OpenID Connect providers: one per ARN, client ids and thumbprints, tags, delete.</summary>
public abstract partial class IdentityStoreContractTests
{
    private static OidcProvider Provider(string host, string account = Account, params string[] clientIds) =>
        new(account, $"arn:aws:iam::{account}:oidc-provider/{host}", $"https://{host}", clientIds, [new string('a', 40)], Now);

    [StoreFact]
    public async Task An_oidc_provider_round_trips_once_per_arn_with_its_lists_and_tags()
    {
        var github = Provider("token.actions.githubusercontent.com", Account, "sts.amazonaws.com", "other");
        await Store.CreateOpenIdConnectProviderAsync(github, [new IamTag("team", "ci")], 100, None);
        await Store.CreateOpenIdConnectProviderAsync(Provider("gitlab.example.com", OtherAccount), [], 100, None);

        var found = await Store.FindOpenIdConnectProviderAsync(github.Arn, None);
        Assert.Equal((github.Url, github.CreateDate), (found!.Url, found.CreateDate));
        Assert.Equal(["sts.amazonaws.com", "other"], found.ClientIds);
        Assert.Equal([new string('a', 40)], found.Thumbprints);
        Assert.Equal([github.Arn], (await Store.ListOpenIdConnectProvidersAsync(Account, None)).Select(p => p.Arn));
        Assert.Equal([new IamTag("team", "ci")], await Store.ListTagsAsync(Account, IamEntityKind.OpenIdConnectProvider, github.Arn, None));
        var exists = await FailsAsync("EntityAlreadyExists", () => Store.CreateOpenIdConnectProviderAsync(github, [], 100, None));
        Assert.Equal("Provider with url https://token.actions.githubusercontent.com already exists.", exists.Message);
        await FailsAsync("LimitExceeded", () => Store.CreateOpenIdConnectProviderAsync(Provider("third.example.com"), [], 1, None));
    }

    [StoreFact]
    public async Task Updating_an_oidc_provider_applies_the_change_to_the_stored_lists_and_deleting_removes_its_tags()
    {
        var provider = Provider("issuer.example.com", Account, "a");
        await Store.CreateOpenIdConnectProviderAsync(provider, [new IamTag("k", "v")], 100, None);

        await Store.UpdateOpenIdConnectProviderAsync(provider.Arn, p => p with { ClientIds = [.. p.ClientIds, "b"] }, None);
        await Store.UpdateOpenIdConnectProviderAsync(provider.Arn, p => p with { Thumbprints = [new string('b', 40), new string('c', 40)] }, None);
        var updated = await Store.FindOpenIdConnectProviderAsync(provider.Arn, None);
        Assert.Equal(["a", "b"], updated!.ClientIds);
        Assert.Equal([new string('b', 40), new string('c', 40)], updated.Thumbprints);

        await Store.DeleteOpenIdConnectProviderAsync(provider.Arn, None);
        Assert.Null(await Store.FindOpenIdConnectProviderAsync(provider.Arn, None));
        Assert.Empty(await Store.ListTagsAsync(Account, IamEntityKind.OpenIdConnectProvider, provider.Arn, None));
        var missing = await FailsAsync("NoSuchEntity", () => Store.DeleteOpenIdConnectProviderAsync(provider.Arn, None));
        Assert.Equal($"OpenIDConnect Provider not found for arn {provider.Arn}", missing.Message);
        await FailsAsync("NoSuchEntity", () => Store.UpdateOpenIdConnectProviderAsync(provider.Arn, p => p, None));
        await FailsAsync("NoSuchEntity", () => Store.TagAsync(Account, IamEntityKind.OpenIdConnectProvider, provider.Arn, [new IamTag("k", "v")], 50, None));
    }
}
