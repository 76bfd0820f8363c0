using Cairn.Core.Errors;

namespace Cairn.Core.Parameters;

/// <summary>
/// PutParameter's rules, pure: <see cref="Resolve"/> decides type and key before the value is encrypted;
/// <see cref="Decide"/> runs inside the write transaction against the state it just read and yields the new version.
/// </summary>
public static class PutParameterPlanner
{
    public const string DefaultKeyId = "alias/aws/ssm";
    public const int MaxVersions = 100;

    public static ParameterEncryptionPlan Resolve(PutParameterInput input, ParameterVersion? latest)
    {
        if (latest is not null && !input.Overwrite)
        {
            throw AwsErrors.ParameterAlreadyExists();
        }

        var type = input.Type ?? latest?.Type ?? throw AwsErrors.ParameterTypeRequired();
        if (type != ParameterTypes.SecureString)
        {
            return new ParameterEncryptionPlan(type, null);
        }

        var keyId = input.KeyId ?? (latest?.Type == ParameterTypes.SecureString ? latest.KeyId : null) ?? DefaultKeyId;
        return new ParameterEncryptionPlan(type, keyId);
    }

    /// <summary>Throws <see cref="ParameterWriteConflictException"/> when <paramref name="plan"/> no longer fits the state.</summary>
    public static ParameterWriteDecision Decide(PutParameterInput input, ParameterEncryptionPlan plan, string storedValue, ParameterWriteState state)
    {
        var latest = state.Latest;
        if (Resolve(input, latest) != plan)
        {
            throw new ParameterWriteConflictException();
        }

        var policies = input.Policies ?? ParameterPolicies.FromStored(latest?.Policies);
        var tier = ResolveTier(input, latest, policies, state);
        if (tier == ParameterTiers.Standard && input.Value.Length > ParameterTiers.StandardMaxValueLength)
        {
            throw AwsErrors.StandardTierValueTooLarge();
        }

        if (input.Value.Length > ParameterTiers.AdvancedMaxValueLength)
        {
            throw AwsErrors.AdvancedTierValueTooLarge();
        }

        if (tier == ParameterTiers.Standard && !policies.IsEmpty)
        {
            throw AwsErrors.PoliciesNeedAdvancedTier();
        }

        var allowedPattern = input.AllowedPattern ?? latest?.AllowedPattern;
        if (!string.IsNullOrEmpty(allowedPattern))
        {
            AllowedPattern.Check(allowedPattern, input.Value);
        }

        CheckTierLimit(latest, tier, state);

        var dropOldest = false;
        if (latest is not null && state.VersionCount >= MaxVersions)
        {
            if (state.OldestHasLabels)
            {
                throw AwsErrors.ParameterMaxVersionLimitExceeded(input.Name.Name, state.OldestVersion);
            }

            dropOldest = true;
        }

        var version = new ParameterVersion
        {
            Version = (latest?.Version ?? 0) + 1,
            Type = plan.Type,
            Value = storedValue,
            KeyId = plan.KeyId,
            Description = input.Description ?? latest?.Description,
            AllowedPattern = string.IsNullOrEmpty(allowedPattern) ? null : allowedPattern,
            DataType = input.DataType ?? latest?.DataType ?? ParameterDataTypes.Text,
            Tier = tier,
            Policies = policies.ToStoredText(),
            LastModifiedDate = input.Now,
            LastModifiedUser = input.User,
        };
        return new ParameterWriteDecision(version, dropOldest, latest is null ? input.Tags : [], policies.ExpiresAt);
    }

    private static string ResolveTier(PutParameterInput input, ParameterVersion? latest, ParameterPolicySet policies, ParameterWriteState state)
    {
        var current = latest?.Tier;
        switch (input.Tier)
        {
            case ParameterTiers.Standard:
                return current == ParameterTiers.Advanced ? throw AwsErrors.TierDowngrade() : ParameterTiers.Standard;
            case ParameterTiers.Advanced:
                return ParameterTiers.Advanced;
            case ParameterTiers.IntelligentTiering:
                var needsAdvanced = current == ParameterTiers.Advanced
                    || input.Value.Length > ParameterTiers.StandardMaxValueLength
                    || !policies.IsEmpty
                    || (latest is null && state.CountInTier(ParameterTiers.Standard) >= ParameterTiers.StandardLimit);
                return needsAdvanced ? ParameterTiers.Advanced : ParameterTiers.Standard;
            default:
                return current ?? ParameterTiers.Standard;
        }
    }

    private static void CheckTierLimit(ParameterVersion? latest, string tier, ParameterWriteState state)
    {
        var entersTier = latest is null || latest.Tier != tier;
        if (!entersTier)
        {
            return;
        }

        var limit = tier == ParameterTiers.Advanced ? ParameterTiers.AdvancedLimit : ParameterTiers.StandardLimit;
        if (state.CountInTier(tier) >= limit)
        {
            throw AwsErrors.ParameterLimitExceeded(tier, limit);
        }
    }
}
