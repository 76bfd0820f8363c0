using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.WebIdentity;
using Cairn.Storage.Identity;

namespace Cairn.Application.Identity;

/// <summary>
/// IAM's OpenID Connect providers as an application service: each call authorized as <c>iam:&lt;Action&gt;</c> on the
/// provider's ARN (ListOpenIDConnectProviders on <c>*</c>) before it runs. A provider of another account is NoSuchEntity.
/// Input shapes are the caller's to check; URL, client id and thumbprint rules are <see cref="OidcProviderRules"/>.
/// </summary>
public sealed class OpenIdConnectProviderService(IIdentityStore store, IAuthorizer authorizer, TimeProvider time)
{
    public async Task<OidcProvider> CreateAsync(
        RequestContext context, string url, IReadOnlyList<string> clientIds, IReadOnlyList<string> thumbprints, IReadOnlyList<IamTag> tags,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        IamTags.EnsureUniqueKeys(tags);
        var arn = OidcProviderRules.Arn(context.AccountId, url);
        await AuthorizeAsync(context, "CreateOpenIDConnectProvider", arn, cancellationToken);
        var provider = new OidcProvider(
            context.AccountId, arn, url.TrimEnd('/'), OidcProviderRules.ClientIds(clientIds), OidcProviderRules.Thumbprints(thumbprints), time.GetUtcNow());
        await store.CreateOpenIdConnectProviderAsync(provider, tags, OidcProviderRules.MaxProvidersPerAccount, cancellationToken);
        return provider;
    }

    /// <summary>The provider with its tags.</summary>
    public async Task<(OidcProvider Provider, IReadOnlyList<IamTag> Tags)> GetAsync(RequestContext context, string arn, CancellationToken cancellationToken)
    {
        var provider = await ExistingAsync(context, arn, "GetOpenIDConnectProvider", cancellationToken);
        return (provider, await store.ListTagsAsync(context.AccountId, IamEntityKind.OpenIdConnectProvider, arn, cancellationToken));
    }

    public async Task<IReadOnlyList<OidcProvider>> ListAsync(RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, "ListOpenIDConnectProviders", "*", cancellationToken);
        return await store.ListOpenIdConnectProvidersAsync(context.AccountId, cancellationToken);
    }

    public async Task DeleteAsync(RequestContext context, string arn, CancellationToken cancellationToken)
    {
        await ExistingAsync(context, arn, "DeleteOpenIDConnectProvider", cancellationToken);
        await store.DeleteOpenIdConnectProviderAsync(arn, cancellationToken);
    }

    /// <summary>Replaces the thumbprint list.</summary>
    public async Task UpdateThumbprintsAsync(RequestContext context, string arn, IReadOnlyList<string> thumbprints, CancellationToken cancellationToken)
    {
        await ExistingAsync(context, arn, "UpdateOpenIDConnectProviderThumbprint", cancellationToken);
        var checkedThumbprints = OidcProviderRules.Thumbprints(thumbprints);
        await store.UpdateOpenIdConnectProviderAsync(arn, p => p with { Thumbprints = checkedThumbprints }, cancellationToken);
    }

    /// <summary>Adds an audience; one already there is left as it is, as on AWS.</summary>
    public async Task AddClientIdAsync(RequestContext context, string arn, string clientId, CancellationToken cancellationToken)
    {
        await ExistingAsync(context, arn, "AddClientIDToOpenIDConnectProvider", cancellationToken);
        OidcProviderRules.ClientIds([clientId]);
        await store.UpdateOpenIdConnectProviderAsync(
            arn, p => p with { ClientIds = OidcProviderRules.ClientIds([.. p.ClientIds, clientId]) }, cancellationToken);
    }

    /// <summary>Removes an audience; one that is not there is not an error, as on AWS.</summary>
    public async Task RemoveClientIdAsync(RequestContext context, string arn, string clientId, CancellationToken cancellationToken)
    {
        await ExistingAsync(context, arn, "RemoveClientIDFromOpenIDConnectProvider", cancellationToken);
        await store.UpdateOpenIdConnectProviderAsync(
            arn, p => p with { ClientIds = p.ClientIds.Where(c => !string.Equals(c, clientId, StringComparison.Ordinal)).ToList() }, cancellationToken);
    }

    public async Task TagAsync(RequestContext context, string arn, IReadOnlyList<IamTag> tags, CancellationToken cancellationToken)
    {
        IamTags.EnsureUniqueKeys(tags);
        await ExistingAsync(context, arn, "TagOpenIDConnectProvider", cancellationToken);
        await store.TagAsync(context.AccountId, IamEntityKind.OpenIdConnectProvider, arn, tags, IamTags.MaxPerEntity, cancellationToken);
    }

    public async Task UntagAsync(RequestContext context, string arn, IReadOnlyList<string> tagKeys, CancellationToken cancellationToken)
    {
        await ExistingAsync(context, arn, "UntagOpenIDConnectProvider", cancellationToken);
        await store.UntagAsync(context.AccountId, IamEntityKind.OpenIdConnectProvider, arn, tagKeys, cancellationToken);
    }

    public async Task<IReadOnlyList<IamTag>> ListTagsAsync(RequestContext context, string arn, CancellationToken cancellationToken)
    {
        await ExistingAsync(context, arn, "ListOpenIDConnectProviderTags", cancellationToken);
        return await store.ListTagsAsync(context.AccountId, IamEntityKind.OpenIdConnectProvider, arn, cancellationToken);
    }

    /// <summary>Authorizes <paramref name="action"/> on the ARN, then NoSuchEntity unless it is a provider of the caller's account.</summary>
    private async Task<OidcProvider> ExistingAsync(RequestContext context, string arn, string action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await AuthorizeAsync(context, action, arn, cancellationToken);
        var provider = OidcProviderRules.IsProviderArn(arn, context.AccountId) ? await store.FindOpenIdConnectProviderAsync(arn, cancellationToken) : null;
        return provider ?? throw AwsErrors.NoSuchOidcProvider(arn);
    }

    private ValueTask AuthorizeAsync(RequestContext context, string action, string resourceArn, CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(context, "iam:" + action, resourceArn, cancellationToken);
}
