using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Identity.Policies;
using Cairn.Core.Keys;
using Cairn.Core.Secrets;
using Cairn.Runner.Diagnostics;
using Cairn.Storage.Secrets;

namespace Cairn.Application.Secrets;

/// <summary>
/// Secrets Manager as an application service: finding a secret by name, ARN or partial ARN (a secret whose recovery
/// window has passed is removed then), authorizing <c>secretsmanager:&lt;Action&gt;</c> on it with its resource policy
/// (an explicit Deny there refuses; an Allow naming the caller is enough without an identity-based Allow), and reading
/// values as GetSecretValue does. The Secrets Manager API is an adapter over it; a build reads its secrets-manager
/// variables through it as its role.
/// </summary>
public sealed class SecretService(ISecretStore store, SecretCrypto crypto, IAuthorizer authorizer, TimeProvider time)
{
    /// <summary>The secret a SecretId names, or null (no secret, an ARN of elsewhere, or one past its deletion date, removed now).</summary>
    public async Task<SecretRecord?> FindAsync(RequestContext context, string secretId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (SecretArns.Parse(context.AccountId, context.Region, secretId) is not { } lookup)
        {
            return null;
        }

        foreach (var name in lookup.CandidateNames())
        {
            var found = await store.GetAsync(context.AccountId, context.Region, name, cancellationToken);
            if (found is null || (lookup.Arn is not null && name != lookup.Name && found.Arn != lookup.Arn))
            {
                continue;
            }

            if (found.DeletionDate is { } due && due <= time.GetUtcNow())
            {
                await store.DeleteAsync(context.AccountId, context.Region, found.Name, cancellationToken);
                return null;
            }

            return found;
        }

        return null;
    }

    /// <summary>
    /// Authorizes <paramref name="action"/> on the secret <paramref name="secretId"/> names and returns it; a missing secret
    /// is authorized on <c>...:secret:NAME-??????</c> (how policies name a secret by name) and then is ResourceNotFoundException.
    /// </summary>
    public async Task<SecretRecord> AuthorizedAsync(RequestContext context, string action, string secretId, CancellationToken cancellationToken)
    {
        var secret = await FindAsync(context, secretId, cancellationToken);
        if (secret is null)
        {
            await authorizer.AuthorizeAsync(context, action, ArnForMissing(context, secretId), cancellationToken);
            throw AwsErrors.SecretNotFound(secretId, await ClosestNamesAsync(context, secretId, cancellationToken));
        }

        await AuthorizeAsync(context, action, secret, cancellationToken);
        return secret;
    }

    /// <summary>
    /// "Did you mean": the names of existing secrets (not scheduled for deletion) closest to the one a missing SecretId asks
    /// for, by edit distance ignoring case, at most three; none unless the caller may secretsmanager:ListSecrets, so a
    /// mistyped id never shows names to someone who could not list them.
    /// </summary>
    public async Task<IReadOnlyList<string>> ClosestNamesAsync(RequestContext context, string secretId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var wanted = (SecretArns.Parse(context.AccountId, context.Region, secretId)?.CandidateNames().First() ?? secretId).ToLowerInvariant();
        try
        {
            await authorizer.AuthorizeAsync(context, "secretsmanager:ListSecrets", "*", cancellationToken);
        }
        catch (AwsException denied) when (denied.Code == "AccessDeniedException")
        {
            return [];
        }

        var limit = Math.Max(2, wanted.Length / 3);
        return (await store.ListAsync(context.AccountId, context.Region, cancellationToken))
            .Where(s => s.DeletedDate is null)
            .Select(s => (s.Name, Distance: EditDistance.Between(wanted, s.Name.ToLowerInvariant())))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(3)
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>IAM with the secret's resource policy, as AWS evaluates a same-account request.</summary>
    public async Task AuthorizeAsync(RequestContext context, string action, SecretRecord secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(secret);
        var allowedByPolicy = false;
        if (secret.ResourcePolicy is { } policy)
        {
            var principal = context.Principal;
            var principalArn = ConditionKeys.PrincipalArnOf(principal);
            var caller = new TrustCaller(principal.AccountId, [principal.Arn, principalArn]);
            var conditions = ConditionKeys.ForRequest(principal, context.Time, context.SourceIp, context.Region, secureTransport: false, principalArn);
            switch (KeyPolicy.Evaluate(SecretPolicy.Parse(policy), caller, action, secret.Arn, conditions))
            {
                case KeyPolicyDecision.ExplicitDeny:
                    throw AwsErrors.SecretResourcePolicyDeny(principal.Arn, action, secret.Arn);
                case KeyPolicyDecision.Allowed:
                    allowedByPolicy = true;
                    break;
            }
        }

        await authorizer.AuthorizeAsync(context, new AccessRequest(action, secret.Arn) { AllowedByResourcePolicy = allowedByPolicy }, cancellationToken);
    }

    /// <summary>
    /// GetSecretValue: the version <paramref name="versionId"/> and/or <paramref name="stage"/> name (AWSCURRENT when
    /// neither), decrypted, as the caller; a secret scheduled for deletion refuses with InvalidRequestException.
    /// </summary>
    public async Task<SecretValue> GetSecretValueAsync(RequestContext context, string secretId, string? versionId, string? stage, CancellationToken cancellationToken)
    {
        var secret = await AuthorizedAsync(context, "secretsmanager:GetSecretValue", secretId, cancellationToken);
        if (secret.DeletedDate is not null)
        {
            throw AwsErrors.SecretMarkedForDeletion();
        }

        var version = SelectVersion(secret, secretId, versionId, stage);
        var plaintext = await crypto.DecryptAsync(context, secret.Arn, version.VersionId, version.KeyArn, version.Ciphertext, cancellationToken);
        await RecordAccessAsync(secret, version, cancellationToken);
        return new SecretValue(secret.Arn, secret.Name, version.VersionId, version.Stages, version.Created,
            version.IsBinary ? null : System.Text.Encoding.UTF8.GetString(plaintext), version.IsBinary ? plaintext : null);
    }

    /// <summary>The version a VersionId and/or VersionStage name; AWSCURRENT when neither is given.</summary>
    public static SecretVersionRecord SelectVersion(SecretRecord secret, string secretId, string? versionId, string? stage)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (versionId is not null)
        {
            var byId = secret.Version(versionId) ?? throw AwsErrors.SecretVersionIdNotFound(secretId, versionId);
            return stage is null || byId.Stages.Contains(stage, StringComparer.Ordinal) ? byId : throw AwsErrors.SecretVersionMismatch(versionId, stage);
        }

        var label = stage ?? SecretRules.Current;
        return secret.VersionWithStage(label) ?? throw AwsErrors.SecretVersionStageNotFound(secretId, label);
    }

    /// <summary>The ARN a policy would name for a secret that does not exist (yet): its name and AWS's six-character wildcard.</summary>
    public static string ArnForMissing(RequestContext context, string secretId)
    {
        ArgumentNullException.ThrowIfNull(context);
        return secretId.StartsWith("arn:", StringComparison.Ordinal) ? secretId : SecretArns.Prefix(context.AccountId, context.Region) + secretId + "-??????";
    }

    /// <summary>AWS keeps the last accessed date to the day: written at most once a day per secret and version.</summary>
    private async Task RecordAccessAsync(SecretRecord secret, SecretVersionRecord version, CancellationToken cancellationToken)
    {
        var today = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        if (secret.LastAccessed == today && version.LastAccessed == today)
        {
            return;
        }

        await store.UpdateAsync(secret.AccountId, secret.Region, secret.Name, s => s with
        {
            LastAccessed = today,
            Versions = s.Versions.Select(v => v.VersionId == version.VersionId ? v with { LastAccessed = today } : v).ToList(),
        }, cancellationToken);
    }
}
