namespace Cairn.Core.Identity.Iam;

/// <summary>
/// An IAM OpenID Connect identity provider: the issuer whose ID tokens AssumeRoleWithWebIdentity accepts, the audiences
/// (client ids) it accepts them for, and the thumbprints IAM keeps for it.
/// </summary>
/// <param name="Arn"><c>arn:aws:iam::ACCOUNT:oidc-provider/HOST/PATH</c> (the URL without its scheme).</param>
/// <param name="Url">The issuer URL as created, with its scheme: what a token's <c>iss</c> must be.</param>
public sealed record OidcProvider(
    string AccountId,
    string Arn,
    string Url,
    IReadOnlyList<string> ClientIds,
    IReadOnlyList<string> Thumbprints,
    DateTimeOffset CreateDate);
