using System.Globalization;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Core.Identity.WebIdentity;

namespace Cairn.Server.Services.Sts;

/// <summary>
/// AssumeRoleWithWebIdentity: an OpenID Connect ID token instead of a signature. The role is looked up only once the
/// token has verified (an anonymous caller learns nothing of the account's roles), and a missing role is answered as a
/// trust policy that does not allow the token. The token's issuer must be an OIDC
/// provider of the role's account, its audience one of the provider's client ids, its signature verify with the issuer's
/// published keys, its times hold (with <see cref="ClockSkew"/>), and the role's trust policy allow the principal
/// <c>{"Federated": provider ARN}</c> with the token's <c>&lt;provider&gt;:aud</c>, <c>:sub</c> and <c>:amr</c> keys.
/// </summary>
internal sealed partial class RoleSessions
{
    /// <summary>How far the issuer's clock may be off from this server's for exp, nbf and iat.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    public async Task<WebIdentitySession> AssumeRoleWithWebIdentityAsync(
        RequestContext context, string roleArn, string sessionName, string webIdentityToken, int? durationSeconds, string? sessionPolicy,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = WebIdentityToken.Parse(webIdentityToken);

        // The caller is anonymous until its token verifies: nothing about the role (not even whether it exists) is
        // looked up before that. The provider is the role's account's, taken from the ARN as written.
        var account = AccountOfRoleArn(roleArn)
            ?? throw AwsErrors.QueryAccessDenied($"Not authorized to perform sts:AssumeRoleWithWebIdentity: {roleArn} is not a role ARN (arn:aws:iam::<account>:role/<name>).");
        string providerArn;
        try
        {
            providerArn = OidcProviderRules.Arn(account, token.Issuer);
        }
        catch (AwsException)
        {
            throw AwsErrors.InvalidIdentityToken($"The web identity token's issuer {token.Issuer} is not an https URL, so no OpenIDConnect provider can match it.");
        }

        var provider = await store.FindOpenIdConnectProviderAsync(providerArn, cancellationToken)
            ?? throw AwsErrors.InvalidIdentityToken(
                $"No OpenIDConnect provider found in your account for {token.Issuer}. Create one with aws iam create-open-id-connect-provider --url {token.Issuer} --client-id-list <audience>.");

        var audience = token.Audiences.FirstOrDefault(a => provider.ClientIds.Contains(a, StringComparer.Ordinal))
            ?? throw AwsErrors.InvalidIdentityToken(
                $"Incorrect token audience: the token's aud is [{string.Join(", ", token.Audiences)}]; the provider {provider.Arn} accepts "
                + $"[{string.Join(", ", provider.ClientIds)}]. Add the audience with aws iam add-client-id-to-open-id-connect-provider, or request the token for one of these.");

        var keys = await oidcKeys.KeysForAsync(provider.Url, token, cancellationToken);
        keys.Verify(token, provider.Url);
        CheckTimes(token, time.GetUtcNow());
        var role = await FindRoleAsync(roleArn, cancellationToken) ?? throw AwsErrors.WebIdentityNotAuthorized(roleArn, providerArn);

        var providerId = providerArn[(providerArn.IndexOf(":oidc-provider/", StringComparison.Ordinal) + ":oidc-provider/".Length)..];
        var conditions = new ConditionContext()
            .Set("aws:CurrentTime", context.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
            .Set("aws:EpochTime", context.Time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))
            .Set("aws:SourceIp", context.SourceIp)
            .Set("aws:RequestedRegion", context.Region)
            .Set("aws:FederatedProvider", providerArn)
            .Set("sts:RoleSessionName", sessionName)
            .Set($"{providerId}:aud", audience)
            .Set($"{providerId}:sub", token.Subject)
            .SetMany($"{providerId}:amr", token.AuthenticationMethods);
        var trust = PolicyEvaluator.EvaluateTrust(
            directory.Compile(role.AssumeRolePolicyDocument, PolicyKind.Trust), TrustCaller.ForFederated(providerArn), "sts:AssumeRoleWithWebIdentity", conditions);
        if (!trust.IsAllowed)
        {
            throw AwsErrors.WebIdentityNotAuthorized(role.Arn, providerArn);
        }

        var session = await IssueAsync(role, sessionName, durationSeconds, sessionPolicy, context.Region, enforceRoleMaximum: true, cancellationToken);
        return new WebIdentitySession(session, token.Subject, audience, token.Issuer, token.SourceIdentity);
    }

    private static void CheckTimes(WebIdentityToken token, DateTimeOffset now)
    {
        var expiration = token.Expiration ?? throw AwsErrors.InvalidIdentityToken("The web identity token has no exp (expiration) claim; STS needs one.");
        if (now - ClockSkew >= expiration)
        {
            throw AwsErrors.ExpiredWebIdentityToken(now, expiration);
        }

        if (token.NotBefore is { } notBefore && notBefore > now + ClockSkew)
        {
            throw AwsErrors.InvalidIdentityToken(
                $"The web identity token is not valid yet: its nbf is {notBefore:yyyy-MM-ddTHH:mm:ssZ}, the time here is {now:yyyy-MM-ddTHH:mm:ssZ}. Check the clocks.");
        }

        if (token.IssuedAt is { } issuedAt && issuedAt > now + ClockSkew)
        {
            throw AwsErrors.InvalidIdentityToken(
                $"The web identity token was issued in the future: its iat is {issuedAt:yyyy-MM-ddTHH:mm:ssZ}, the time here is {now:yyyy-MM-ddTHH:mm:ssZ}. Check the clocks.");
        }
    }
}

/// <summary>A web identity session and what AssumeRoleWithWebIdentity reports of the token it came from.</summary>
internal sealed record WebIdentitySession(RoleSession Session, string Subject, string Audience, string Provider, string? SourceIdentity);
