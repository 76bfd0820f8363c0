using Cairn.Application.Identity.Authorization;
using Cairn.Application.Identity.WebIdentity;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Iam;
using Cairn.Core.Identity.Policies;
using Cairn.Server.Services.Iam;
using Cairn.Storage.Identity;

namespace Cairn.Server.Services.Sts;

/// <summary>
/// Issues role sessions: checks the role's trust policy (and, when the trust policy only names the caller's
/// account, the caller's own permission for sts:AssumeRole), then stores temporary credentials.
/// </summary>
internal sealed partial class RoleSessions(
    IIdentityStore store, IdentityDirectory directory, PolicyAuthorizer authorizer, OidcKeySource oidcKeys, TimeProvider time) : IRoleAssumer
{
    public const int DefaultDurationSeconds = 3600;
    public const int DefaultSessionTokenSeconds = 43200;
    public const int RootSessionTokenSeconds = 3600;

    /// <summary>AssumeRole for a signed request's principal.</summary>
    public async Task<RoleSession> AssumeRoleAsync(
        RequestContext context, string roleArn, string sessionName, int? durationSeconds, string? sessionPolicy, string? externalId, CancellationToken cancellationToken)
    {
        var principal = context.Principal;
        if (principal.IsRoot)
        {
            throw AwsErrors.RootCannotAssumeRole();
        }

        var role = await FindRoleAsync(roleArn, cancellationToken);
        var denied = AwsErrors.QueryAccessDenied($"User: {principal.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        if (role is null)
        {
            throw denied;
        }

        var identity = await authorizer.EvaluateAsync(context, "sts:AssumeRole", role.Arn, cancellationToken);
        var principalArn = (await directory.ForPrincipalAsync(principal, cancellationToken)).PrincipalArn;
        var conditions = ConditionKeys.ForRequest(principal, context.Time, context.SourceIp, context.Region, secureTransport: false,
            principalArn: principalArn);
        conditions.Set("sts:RoleSessionName", sessionName).Set("sts:ExternalId", externalId);
        var trust = PolicyEvaluator.EvaluateTrust(
            directory.Compile(role.AssumeRolePolicyDocument, PolicyKind.Trust), CallerOf(principal, principalArn), "sts:AssumeRole", conditions);

        // An explicit deny anywhere wins; a trust policy naming the caller is enough; naming only the account delegates to the caller's policies.
        var allowed = identity.Decision != PolicyDecision.ExplicitDeny && trust.IsAllowed
            && (trust.Match == PrincipalMatch.Specific || identity.IsAllowed);
        if (!allowed)
        {
            throw denied;
        }

        return await IssueAsync(role, sessionName, durationSeconds, sessionPolicy, context.Region, enforceRoleMaximum: true, cancellationToken);
    }

    /// <summary>
    /// GetSessionToken: credentials that act as the calling IAM user (900 s to 36 h, 12 h by default) or root user
    /// (at most 1 h: a longer request gets 1 h, as on AWS). Role sessions and other session credentials are refused.
    /// </summary>
    public async Task<RoleSession> GetSessionTokenAsync(RequestContext context, int? durationSeconds, CancellationToken cancellationToken)
    {
        var principal = context.Principal;
        if (principal.FromSessionToken || principal.Kind is not (PrincipalKind.User or PrincipalKind.Root))
        {
            throw AwsErrors.SessionTokenFromSession();
        }

        var duration = principal.IsRoot
            ? Math.Min(durationSeconds ?? RootSessionTokenSeconds, RootSessionTokenSeconds)
            : durationSeconds ?? DefaultSessionTokenSeconds;
        var now = time.GetUtcNow();
        var now0 = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var session = new RoleSession(
            IdentityIds.TemporaryAccessKeyId(),
            IdentityIds.SecretAccessKey(),
            IdentityIds.SessionToken(),
            principal.AccountId,
            principal.Name ?? string.Empty,
            principal.Arn,
            string.Empty,
            principal.Arn,
            principal.UserId,
            now0,
            now0.AddSeconds(duration));
        await store.PurgeExpiredSessionsAsync(now, cancellationToken);
        await store.CreateSessionAsync(session, cancellationToken);
        return session;
    }

    public async Task<TemporaryCredentials> AssumeRoleAsServiceAsync(
        string roleArn, string servicePrincipal, string sessionName, TimeSpan duration, CancellationToken cancellationToken)
    {
        var role = await FindRoleAsync(roleArn, cancellationToken);
        var trust = role is null
            ? null
            : PolicyEvaluator.EvaluateTrust(directory.Compile(role.AssumeRolePolicyDocument, PolicyKind.Trust), TrustCaller.ForService(servicePrincipal), "sts:AssumeRole", new ConditionContext());
        if (role is null || trust is not { IsAllowed: true })
        {
            throw AwsErrors.QueryAccessDenied($"Service: {servicePrincipal} is not authorized to perform: sts:AssumeRole on resource: {roleArn}");
        }

        // Services keep a session for as long as their work runs (a build may outlast the role's MaxSessionDuration), up to STS's 12 hours.
        var seconds = (int)Math.Clamp(duration.TotalSeconds, 900, 43200);
        var session = await IssueAsync(role, sessionName, seconds, null, null, enforceRoleMaximum: false, cancellationToken);
        return new TemporaryCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken, session.Expiration, session.AssumedRoleArn, session.AssumedRoleId);
    }

    private async Task<RoleSession> IssueAsync(
        IamRole role, string sessionName, int? durationSeconds, string? sessionPolicy, string? region, bool enforceRoleMaximum, CancellationToken cancellationToken)
    {
        var duration = durationSeconds ?? DefaultDurationSeconds;
        if (enforceRoleMaximum && duration > role.MaxSessionDuration)
        {
            throw AwsErrors.DurationExceedsMaxSession();
        }

        var now = time.GetUtcNow();
        var now0 = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var session = new RoleSession(
            IdentityIds.TemporaryAccessKeyId(),
            IdentityIds.SecretAccessKey(),
            IdentityIds.SessionToken(),
            role.AccountId,
            role.RoleName,
            role.Arn,
            sessionName,
            $"arn:aws:sts::{role.AccountId}:assumed-role/{role.RoleName}/{sessionName}",
            $"{role.RoleId}:{sessionName}",
            now0,
            now0.AddSeconds(duration),
            sessionPolicy);
        await store.PurgeExpiredSessionsAsync(now, cancellationToken);
        await store.CreateSessionAsync(session, cancellationToken);
        await store.RecordRoleUseAsync(role.AccountId, role.RoleName, now, region ?? "us-east-1", cancellationToken);
        return session;
    }

    /// <summary>arn:aws:iam::ACCOUNT:role/[path/]NAME: the role is found by account and name (the path is not part of a role's identity).</summary>
    private async Task<IamRole?> FindRoleAsync(string roleArn, CancellationToken cancellationToken)
    {
        if (AccountOfRoleArn(roleArn) is not { } account)
        {
            return null;
        }

        var name = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var role = await store.FindRoleAsync(account, name, cancellationToken);
        return role is not null && string.Equals(role.Arn, roleArn, StringComparison.Ordinal) ? role : null;
    }

    /// <summary>The account of a role ARN (arn:aws:iam::ACCOUNT:role/...), or null when it is not one.</summary>
    private static string? AccountOfRoleArn(string roleArn)
    {
        const string Prefix = "arn:aws:iam::";
        if (!roleArn.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = roleArn[Prefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 || !rest[(colon + 1)..].StartsWith("role/", StringComparison.Ordinal) ? null : rest[..colon];
    }

    /// <summary>The caller as a trust policy sees it; <paramref name="principalArn"/> is the role behind a session, as the directory found it.</summary>
    private static TrustCaller CallerOf(Principal principal, string? principalArn) => principal.Kind switch
    {
        PrincipalKind.Root => new TrustCaller(principal.AccountId, [principal.Arn]),
        PrincipalKind.AssumedRole => new TrustCaller(principal.AccountId,
            principalArn is { } roleArn ? [principal.Arn, roleArn] : [principal.Arn]),
        _ => new TrustCaller(principal.AccountId, [principal.Arn]),
    };
}
