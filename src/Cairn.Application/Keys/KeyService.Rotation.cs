using System.Globalization;
using Cairn.Core.Errors;
using Cairn.Core.Identity;
using Cairn.Core.Keys;

namespace Cairn.Application.Keys;

/// <summary>EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations.</summary>
public sealed partial class KeyService
{
    public const int DefaultRotationPeriodInDays = 365;
    public const int MaxOnDemandRotations = 25;

    /// <summary>Turns automatic rotation on: new material every <paramref name="rotationPeriodInDays"/> days (365 by default).</summary>
    public async Task EnableKeyRotationAsync(RequestContext context, string keyId, int? rotationPeriodInDays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = await ManagedKeyAsync(context, keyId, "kms:EnableKeyRotation", cancellationToken);
        var days = rotationPeriodInDays ?? DefaultRotationPeriodInDays;
        var now = time.GetUtcNow();
        await UpdateAsync(key, found => Rotatable(found) with { RotationPeriodInDays = days, NextRotationDate = now.AddDays(days) }, cancellationToken);
    }

    public async Task DisableKeyRotationAsync(RequestContext context, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = await ManagedKeyAsync(context, keyId, "kms:DisableKeyRotation", cancellationToken);
        await UpdateAsync(key, found => Rotatable(found) with { RotationPeriodInDays = null, NextRotationDate = null }, cancellationToken);
    }

    public async Task<KeyRecord> GetKeyRotationStatusAsync(RequestContext context, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return NotPendingDeletion(await AuthorizedKeyAsync(context, keyId, "kms:GetKeyRotationStatus", allowAlias: false, cancellationToken));
    }

    /// <summary>Adds new material now (ON_DEMAND); ciphertext made under earlier material still decrypts.</summary>
    public async Task<KeyRecord> RotateKeyOnDemandAsync(RequestContext context, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = await ManagedKeyAsync(context, keyId, "kms:RotateKeyOnDemand", cancellationToken);
        var now = time.GetUtcNow();
        return await UpdateAsync(key, found => Rotatable(found).Rotations.Count(r => r.RotationType == KeyMaterialVersion.OnDemand) >= MaxOnDemandRotations
            ? throw AwsErrors.KmsRotationLimit(found.Arn)
            : keys.WithNewMaterial(found, KeyMaterialVersion.OnDemand, now), cancellationToken);
    }

    /// <summary>The key's rotations, oldest first, after the version <paramref name="afterVersion"/>; with <paramref name="includeOriginal"/> its first material too.</summary>
    public async Task<(KeyRecord Key, KeyListPage<KeyMaterialVersion> Page)> ListKeyRotationsAsync(
        RequestContext context, string keyId, bool includeOriginal, int limit, string? afterVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = SymmetricOnly(NotPendingDeletion(await AuthorizedKeyAsync(context, keyId, "kms:ListKeyRotations", allowAlias: false, cancellationToken)));
        var after = afterVersion is null ? -1 : int.TryParse(afterVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : throw AwsErrors.KmsInvalidMarker();
        IEnumerable<KeyMaterialVersion> all = key.Rotations;
        if (includeOriginal)
        {
            all = all.Prepend(new KeyMaterialVersion(0, key.WrappedMaterial, string.Empty, key.CreatedAt));
        }

        var found = all.Where(r => r.Version > after).Take(limit + 1).ToList();
        return (key, Page(found, limit, r => r.Version.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Rotation's operations need a symmetric encryption key, enabled and not pending deletion.</summary>
    private static KeyRecord Rotatable(KeyRecord key)
    {
        SymmetricOnly(key);
        NotPendingDeletion(key);
        return key.Enabled ? key : throw AwsErrors.KmsDisabled(key.Arn);
    }

    /// <summary>Asymmetric and HMAC keys have one key material for life: no rotation, automatic or on demand.</summary>
    private static KeyRecord SymmetricOnly(KeyRecord key) =>
        key.KeySpec == KeyRecord.SymmetricDefault ? key : throw AwsErrors.KmsRotationUnsupported(key.Arn, key.KeySpec);
}
