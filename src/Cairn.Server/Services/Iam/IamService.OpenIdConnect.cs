using System.Xml.Linq;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Server.Aws.Validation;
using static Cairn.Server.Services.Iam.IamXml;

namespace Cairn.Server.Services.Iam;

/// <summary>OpenID Connect providers and their tags; adapters over <see cref="Application.Identity.OpenIdConnectProviderService"/>.</summary>
internal sealed partial class IamService
{
    private const string ProviderArn = "OpenIDConnectProviderArn";

    private void RegisterOpenIdConnect()
    {
        On("CreateOpenIDConnectProvider", CreateOpenIdConnectProviderAsync);
        On("GetOpenIDConnectProvider", GetOpenIdConnectProviderAsync);
        On("ListOpenIDConnectProviders", ListOpenIdConnectProvidersAsync);
        On("DeleteOpenIDConnectProvider", async (args, context, ct) => await Done(_oidcProviders.DeleteAsync(context, args.Required(ProviderArn), ct)));
        On("UpdateOpenIDConnectProviderThumbprint", async (args, context, ct) =>
            await Done(_oidcProviders.UpdateThumbprintsAsync(context, args.Required(ProviderArn), args.List("ThumbprintList"), ct)));
        On("AddClientIDToOpenIDConnectProvider", async (args, context, ct) =>
            await Done(_oidcProviders.AddClientIdAsync(context, args.Required(ProviderArn), args.Required("ClientID"), ct)));
        On("RemoveClientIDFromOpenIDConnectProvider", async (args, context, ct) =>
            await Done(_oidcProviders.RemoveClientIdAsync(context, args.Required(ProviderArn), args.Required("ClientID"), ct)));
        On("TagOpenIDConnectProvider", async (args, context, ct) =>
            await Done(_oidcProviders.TagAsync(context, args.Required(ProviderArn), IamValidation.Tags(args.Tags()), ct)));
        On("UntagOpenIDConnectProvider", async (args, context, ct) =>
            await Done(_oidcProviders.UntagAsync(context, args.Required(ProviderArn), args.List("TagKeys"), ct)));
        On("ListOpenIDConnectProviderTags", async (args, context, ct) =>
        {
            var (tags, paging) = Page(await _oidcProviders.ListTagsAsync(context, args.Required(ProviderArn), ct), args);
            return Result("ListOpenIDConnectProviderTags", Tags(tags), paging);
        });
    }

    private static async Task<XElement?> Done(Task work)
    {
        await work;
        return null;
    }

    private async Task<XElement?> CreateOpenIdConnectProviderAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var tags = IamValidation.Tags(args.Tags());
        var provider = await _oidcProviders.CreateAsync(
            context, args.Required("Url"), args.List("ClientIDList"), args.List("ThumbprintList"), tags, cancellationToken);
        return Result("CreateOpenIDConnectProvider", E("OpenIDConnectProviderArn", provider.Arn), tags.Count > 0 ? Tags(tags) : null);
    }

    private async Task<XElement?> GetOpenIdConnectProviderAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var (provider, tags) = await _oidcProviders.GetAsync(context, args.Required(ProviderArn), cancellationToken);
        return Result("GetOpenIDConnectProvider", Provider(provider), tags.Count > 0 ? Tags(tags) : null);
    }

    private async Task<XElement?> ListOpenIdConnectProvidersAsync(QueryArgs args, RequestContext context, CancellationToken cancellationToken)
    {
        var providers = await _oidcProviders.ListAsync(context, cancellationToken);
        return Result("ListOpenIDConnectProviders", Members("OpenIDConnectProviderList", providers.Select(p => E("Arn", p.Arn))));
    }

    /// <summary>GetOpenIDConnectProvider's members, in the model's order (Tags are the caller's).</summary>
    private static object?[] Provider(OidcProvider provider) =>
    [
        E("Url", provider.Arn[(provider.Arn.IndexOf(":oidc-provider/", StringComparison.Ordinal) + ":oidc-provider/".Length)..]),
        Members("ClientIDList", provider.ClientIds), Members("ThumbprintList", provider.Thumbprints), E("CreateDate", provider.CreateDate),
    ];
}
