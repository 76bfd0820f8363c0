using System.Text.Json;
using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;

namespace Cairn.Storage.Sqlite.Identity;

/// <summary>OpenID Connect providers: the issuers AssumeRoleWithWebIdentity accepts tokens from.</summary>
public sealed partial class SqliteIdentityStore
{
    private const string OidcSelect = "SELECT account_id, arn, url, client_ids, thumbprints, created_at FROM iam_oidc_providers";

    public Task CreateOpenIdConnectProviderAsync(OidcProvider provider, IReadOnlyList<IamTag> tags, int maxProviders, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return WriteAsync(c =>
        {
            if (Count(c, "SELECT COUNT(*) FROM iam_oidc_providers WHERE arn = ?", provider.Arn) > 0)
            {
                throw AwsErrors.OidcProviderExists(provider.Url);
            }

            if (Count(c, "SELECT COUNT(*) FROM iam_oidc_providers WHERE account_id = ?", provider.AccountId) >= maxProviders)
            {
                throw AwsErrors.Quota("OpenIdConnectProvidersPerAccount", maxProviders);
            }

            c.Execute(
                "INSERT INTO iam_oidc_providers (arn, account_id, url, client_ids, thumbprints, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                provider.Arn, provider.AccountId, provider.Url, JsonSerializer.Serialize(provider.ClientIds), JsonSerializer.Serialize(provider.Thumbprints),
                provider.CreateDate);
            DeleteTags(c, provider.AccountId, IamEntityKind.OpenIdConnectProvider, provider.Arn);
            InsertTags(c, provider.AccountId, IamEntityKind.OpenIdConnectProvider, provider.Arn, tags, int.MaxValue);
        }, cancellationToken);
    }

    public Task<OidcProvider?> FindOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken) =>
        Task.FromResult<OidcProvider?>(database.Read(c => c.QuerySingle(OidcSelect + " WHERE arn = ?", MapOidc, arn)));

    public Task<IReadOnlyList<OidcProvider>> ListOpenIdConnectProvidersAsync(string accountId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OidcProvider>>(database.Read(c => c.Query(OidcSelect + " WHERE account_id = ? ORDER BY arn", MapOidc, accountId)));

    public Task UpdateOpenIdConnectProviderAsync(string arn, Func<OidcProvider, OidcProvider> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(c =>
        {
            var current = c.QuerySingle(OidcSelect + " WHERE arn = ?", MapOidc, arn) ?? throw AwsErrors.NoSuchOidcProvider(arn);
            var changed = change(current);
            c.Execute("UPDATE iam_oidc_providers SET client_ids = ?, thumbprints = ? WHERE arn = ?",
                JsonSerializer.Serialize(changed.ClientIds), JsonSerializer.Serialize(changed.Thumbprints), arn);
        }, cancellationToken);
    }

    public Task DeleteOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken) =>
        WriteAsync(c =>
        {
            var current = c.QuerySingle(OidcSelect + " WHERE arn = ?", MapOidc, arn) ?? throw AwsErrors.NoSuchOidcProvider(arn);
            c.Execute("DELETE FROM iam_oidc_providers WHERE arn = ?", arn);
            DeleteTags(c, current.AccountId, IamEntityKind.OpenIdConnectProvider, arn);
        }, cancellationToken);

    private static OidcProvider MapOidc(SqliteRow r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2),
        JsonSerializer.Deserialize<string[]>(r.GetString(3)) ?? [], JsonSerializer.Deserialize<string[]>(r.GetString(4)) ?? [], Time(r, 5));
}
