using Cairn.Core.Errors;

namespace Cairn.Core.Secrets;

/// <summary>Secrets Manager's rules the model cannot say: names, staging labels, recovery windows, tags.</summary>
public static class SecretRules
{
    public const string Current = "AWSCURRENT";
    public const string Previous = "AWSPREVIOUS";
    public const string Pending = "AWSPENDING";

    public const string DefaultKeyAlias = Keys.AwsManagedKeys.SecretsManagerAlias;

    public const int MaxTags = 50;
    public const int MaxStagesPerVersion = 20;

    /// <summary>Versions without a label beyond this many are removed, oldest first (AWS keeps about 100).</summary>
    public const int MaxVersions = 100;

    public const int DefaultRecoveryWindowDays = 30;

    /// <summary>AWS's name characters: ASCII letters and digits and -/_+=.@!</summary>
    public static void CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-/_+=.@!".Contains(c, StringComparison.Ordinal)))
            {
                throw AwsErrors.SecretInvalidName(name);
            }
        }
    }

    /// <summary>7 to 30 days, and not together with ForceDeleteWithoutRecovery.</summary>
    public static void CheckRecoveryWindow(long? days, bool force)
    {
        if (days is { } given && force)
        {
            throw AwsErrors.SecretRecoveryWindowWithForce();
        }

        if (days is { } window && window is < 7 or > 30)
        {
            throw AwsErrors.SecretRecoveryWindow(window);
        }
    }

    /// <summary>User tags may not use AWS's aws: prefix; at most 50 on a secret.</summary>
    public static void CheckTags(IEnumerable<string> keys, int total)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw AwsErrors.SecretAwsTag(key);
            }
        }

        if (total > MaxTags)
        {
            throw AwsErrors.SecretTooManyTags(total);
        }
    }
}
