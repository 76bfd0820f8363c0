using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Parameters;

namespace Cairn.Application.Parameters;

public sealed partial class ParameterService
{
    /// <summary>
    /// GetParameter: one parameter (a name, ARN or <c>name:version</c>/<c>name:label</c> selector) authorized with
    /// ssm:GetParameter on it; with <paramref name="withDecryption"/> a SecureString's plaintext, KMS authorized as SSM's
    /// call on the caller's behalf (the key's policy and the caller's).
    /// </summary>
    public async Task<ResolvedValue> GetParameterAsync(RequestContext context, string name, bool withDecryption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = ScopeOf(context);
        var reference = ParameterReference.Parse(name);
        await authorizer.AuthorizeAsync(context, "ssm:GetParameter", scope.ArnFor(reference.Key), cancellationToken);
        var (parameter, version) = await ResolveAsync(scope, reference, cancellationToken);
        var value = await crypto.ValueForAsync(context, scope, reference.Key, version, withDecryption, cancellationToken);
        return new ResolvedValue(reference, reference.ResponseName(parameter), scope.ArnFor(reference.Key), version, value);
    }

    /// <summary>
    /// GetParameterHistory without decryption, authorized with ssm:GetParameterHistory: the parameter and its versions
    /// after <paramref name="afterVersion"/>, oldest first, at most <paramref name="limit"/>. A SecureString version's
    /// <see cref="ParameterVersion.Value"/> is its ciphertext: never show it.
    /// </summary>
    public async Task<ParameterHistory> GetHistoryAsync(RequestContext context, string name, long afterVersion, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = ScopeOf(context);
        var reference = ParameterReference.Parse(name);
        if (reference.Selector is not null)
        {
            throw AwsErrors.InvalidParameterName();
        }

        await authorizer.AuthorizeAsync(context, "ssm:GetParameterHistory", scope.ArnFor(reference.Key), cancellationToken);
        var snapshot = await repository.GetAsync(scope, reference.Key, cancellationToken);
        if (snapshot is null || snapshot.IsExpired(time.GetUtcNow()) || reference.IsOutside(scope))
        {
            throw AwsErrors.ParameterNotFound(reference.Asked);
        }

        var versions = await repository.GetHistoryAsync(scope, snapshot.Key, afterVersion, limit + 1, cancellationToken);
        return new ParameterHistory(snapshot, versions.Take(limit).ToList(), versions.Count > limit);
    }
}

/// <summary>A parameter's latest state and one page of its versions (oldest first); <see cref="HasMore"/> when later versions follow.</summary>
public sealed record ParameterHistory(ParameterSnapshot Parameter, IReadOnlyList<ParameterVersion> Versions, bool HasMore);
