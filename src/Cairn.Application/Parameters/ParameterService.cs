using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;
using Cairn.Storage.Parameters;

namespace Cairn.Application.Parameters;

/// <summary>
/// Parameter Store reads as an application service: a caller (a <see cref="RequestContext"/>) reads parameters with
/// ssm:GetParameter(s) authorized on each and, for a SecureString with decryption, KMS authorized as SSM's call on the
/// caller's behalf. SSM's API is an adapter over it; a build reads its parameter-store variables through it as its role.
/// </summary>
/// <param name="naming">The account's naming rules, checked on names PutParameter creates; null where the host has none (tests of SSM alone).</param>
public sealed partial class ParameterService(
    IParameterRepository repository, ParameterCrypto crypto, IAuthorizer authorizer, TimeProvider time, Hygiene.NamingRuleService? naming = null)
{
    /// <summary>Reads <paramref name="names"/> (names, ARNs or <c>name:version</c>/<c>name:label</c> selectors; duplicates read once).</summary>
    public async Task<ParameterRead> GetParametersAsync(RequestContext context, IReadOnlyList<string> names, bool withDecryption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(names);
        var scope = ScopeOf(context);
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        var references = distinct.Select(ParseOrNotFound).ToList();
        foreach (var reference in references.OfType<ParameterReference>())
        {
            await authorizer.AuthorizeAsync(context, "ssm:GetParameters", scope.ArnFor(reference.Key), cancellationToken);
        }

        var found = new List<ResolvedValue>();
        var invalid = new List<string>();
        for (var i = 0; i < distinct.Count; i++)
        {
            if (references[i] is not { } reference)
            {
                invalid.Add(distinct[i]);
                continue;
            }

            ParameterSnapshot parameter;
            ParameterVersion version;
            try
            {
                (parameter, version) = await ResolveAsync(scope, reference, cancellationToken);
            }
            catch (AwsException error) when (error.Code is "ParameterNotFound" or "ParameterVersionNotFound")
            {
                invalid.Add(distinct[i]);
                continue;
            }

            var value = await crypto.ValueForAsync(context, scope, reference.Key, version, withDecryption, cancellationToken);
            found.Add(new ResolvedValue(reference, reference.ResponseName(parameter), scope.ArnFor(reference.Key), version, value));
        }

        return new ParameterRead(found, invalid);
    }

    /// <summary>Finds what a reference names, or throws ParameterNotFound / ParameterVersionNotFound as GetParameter does.</summary>
    public async Task<(ParameterSnapshot Parameter, ParameterVersion Version)> ResolveAsync(
        ParameterScope scope, ParameterReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (PublicParameters.IsPublic(reference.Key))
        {
            return ResolvePublic(scope, reference);
        }

        if (reference.IsOutside(scope))
        {
            throw AwsErrors.ParameterNotFound(reference.Asked);
        }

        // Callers of ResolveAsync (GetParameter, GetParameters) never return labels: skip reading them.
        var snapshot = await repository.GetWithoutLabelsAsync(scope, reference.Key, cancellationToken);
        if (snapshot is null || snapshot.IsExpired(time.GetUtcNow()))
        {
            throw AwsErrors.ParameterNotFound(reference.Asked);
        }

        if (reference.Version is { } version)
        {
            var found = version == snapshot.LatestVersion
                ? snapshot.Version
                : await repository.GetVersionAsync(scope, reference.Key, version, cancellationToken);
            return (snapshot, found ?? throw AwsErrors.ParameterVersionNotFound(version.ToString(System.Globalization.CultureInfo.InvariantCulture), reference.Name));
        }

        if (reference.Label is { } label)
        {
            var labelled = await repository.GetLabeledVersionAsync(scope, reference.Key, label, cancellationToken);
            // verify: AWS's wording for a missing label; the version template with the label is our best guess.
            return (snapshot, labelled ?? throw AwsErrors.ParameterVersionNotFound(label, reference.Name));
        }

        return (snapshot, snapshot.Version);
    }

    /// <summary>AWS's public parameters (<see cref="PublicParameters"/>): by name, or by their ARN without an account in the request's region; one version.</summary>
    private static (ParameterSnapshot Parameter, ParameterVersion Version) ResolvePublic(ParameterScope scope, ParameterReference reference)
    {
        var outside = (reference.ArnRegion is not null && reference.ArnRegion != scope.Region) || (reference.ArnAccount is not null && reference.ArnAccount.Length > 0);
        var snapshot = outside ? null : PublicParameters.Find(scope.Region, reference.Key);
        if (snapshot is null)
        {
            throw AwsErrors.ParameterNotFound(reference.Asked);
        }

        if (reference.Label is { } label)
        {
            throw AwsErrors.ParameterVersionNotFound(label, reference.Name);
        }

        return reference.Version is { } version && version != snapshot.LatestVersion
            ? throw AwsErrors.ParameterVersionNotFound(version.ToString(System.Globalization.CultureInfo.InvariantCulture), reference.Name)
            : (snapshot, snapshot.Version);
    }

    /// <summary>
    /// For the fix of a denied read, not authorized and never returning a value: the ARN of the customer managed key that
    /// encrypts <paramref name="name"/>, or null for the default key alias/aws/ssm, a plaintext parameter or none.
    /// </summary>
    public async Task<string?> CustomerKeyArnAsync(ParameterScope scope, string name, CancellationToken cancellationToken)
    {
        var reference = ParameterReference.Parse(name);
        var snapshot = await repository.GetWithoutLabelsAsync(scope, reference.Key, cancellationToken);
        var keyId = snapshot?.Version.KeyId;
        if (keyId is null || keyId == PutParameterPlanner.DefaultKeyId || keyId.EndsWith(":" + PutParameterPlanner.DefaultKeyId, StringComparison.Ordinal))
        {
            return null;
        }

        return await crypto.KeyArnAsync(scope, keyId, cancellationToken);
    }

    /// <summary>For "did you mean" on a missing parameter, not authorized: up to <paramref name="limit"/> names in the account and region.</summary>
    public async Task<IReadOnlyList<string>> ListNamesAsync(ParameterScope scope, int limit, CancellationToken cancellationToken)
    {
        var listed = await repository.ListAsync(scope, new ParameterListQuery(string.Empty, null, limit, time.GetUtcNow(), WithTags: false, WithLabels: false), cancellationToken);
        return listed.Select(l => l.Parameter.Name).ToList();
    }

    /// <summary>A reference, or null for one that names no parameter (<c>name:2:3</c>): GetParameters lists it as invalid.</summary>
    private static ParameterReference? ParseOrNotFound(string name)
    {
        try
        {
            return ParameterReference.Parse(name);
        }
        catch (AwsException error) when (error.Code == "ParameterNotFound")
        {
            return null;
        }
    }

    private static ParameterScope ScopeOf(RequestContext context) => new(context.AccountId, context.Region);
}
