using System.Text.Json;
using Cairn.Core.Errors;
using Cairn.Core.Identity.Iam;
using Npgsql;

namespace Cairn.Storage.Postgres.Identity;

/// <summary>OpenID Connect providers: the issuers AssumeRoleWithWebIdentity accepts tokens from.</summary>
public sealed partial class PostgresIdentityStore
{
    private const string OidcSelect = "SELECT account_id, arn, url, client_ids, thumbprints, created_at FROM cairn_identity.oidc_providers";

    public Task CreateOpenIdConnectProviderAsync(OidcProvider provider, IReadOnlyList<IamTag> tags, int maxProviders, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return WriteAsync(async s =>
        {
            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.oidc_providers WHERE arn = $1", provider.Arn).ConfigureAwait(false) > 0)
            {
                throw AwsErrors.OidcProviderExists(provider.Url);
            }

            if (await CountAsync(s, "SELECT COUNT(*) FROM cairn_identity.oidc_providers WHERE account_id = $1", provider.AccountId).ConfigureAwait(false) >= maxProviders)
            {
                throw AwsErrors.Quota("OpenIdConnectProvidersPerAccount", maxProviders);
            }

            await s.ExecuteAsync(
                "INSERT INTO cairn_identity.oidc_providers (arn, account_id, url, client_ids, thumbprints, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                provider.Arn, provider.AccountId, provider.Url, JsonSerializer.Serialize(provider.ClientIds), JsonSerializer.Serialize(provider.Thumbprints),
                provider.CreateDate).ConfigureAwait(false);
            await DeleteTagsAsync(s, provider.AccountId, IamEntityKind.OpenIdConnectProvider, provider.Arn).ConfigureAwait(false);
            await InsertTagsAsync(s, provider.AccountId, IamEntityKind.OpenIdConnectProvider, provider.Arn, tags, int.MaxValue).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task<OidcProvider?> FindOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken) =>
        database.ReadAsync(s => s.QuerySingleAsync(OidcSelect + " WHERE arn = $1", MapOidc, arn), cancellationToken);

    public async Task<IReadOnlyList<OidcProvider>> ListOpenIdConnectProvidersAsync(string accountId, CancellationToken cancellationToken) =>
        await database.ReadAsync(s => s.QueryAsync(OidcSelect + " WHERE account_id = $1 ORDER BY arn", MapOidc, accountId), cancellationToken).ConfigureAwait(false);

    public Task UpdateOpenIdConnectProviderAsync(string arn, Func<OidcProvider, OidcProvider> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return WriteAsync(async s =>
        {
            var current = await s.QuerySingleAsync(OidcSelect + " WHERE arn = $1", MapOidc, arn).ConfigureAwait(false) ?? throw AwsErrors.NoSuchOidcProvider(arn);
            var changed = change(current);
            await s.ExecuteAsync("UPDATE cairn_identity.oidc_providers SET client_ids = $1, thumbprints = $2 WHERE arn = $3",
                JsonSerializer.Serialize(changed.ClientIds), JsonSerializer.Serialize(changed.Thumbprints), arn).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task DeleteOpenIdConnectProviderAsync(string arn, CancellationToken cancellationToken) =>
        WriteAsync(async s =>
        {
            var current = await s.QuerySingleAsync(OidcSelect + " WHERE arn = $1", MapOidc, arn).ConfigureAwait(false) ?? throw AwsErrors.NoSuchOidcProvider(arn);
            await s.ExecuteAsync("DELETE FROM cairn_identity.oidc_providers WHERE arn = $1", arn).ConfigureAwait(false);
            await DeleteTagsAsync(s, current.AccountId, IamEntityKind.OpenIdConnectProvider, arn).ConfigureAwait(false);
        }, cancellationToken);

    private static OidcProvider MapOidc(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2),
        JsonSerializer.Deserialize<string[]>(r.GetString(3)) ?? [], JsonSerializer.Deserialize<string[]>(r.GetString(4)) ?? [], Time(r, 5));
}
