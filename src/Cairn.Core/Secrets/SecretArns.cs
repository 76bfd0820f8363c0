using System.Security.Cryptography;

namespace Cairn.Core.Secrets;

/// <summary>
/// Secret ARNs as Secrets Manager makes them: <c>arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX</c>, the six
/// random characters telling a secret from an earlier one of the same name. A SecretId is a name, that ARN, or the
/// ARN without its suffix (a partial ARN).
/// </summary>
public static class SecretArns
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string Prefix(string accountId, string region) => $"arn:aws:secretsmanager:{region}:{accountId}:secret:";

    /// <summary>A new secret's ARN, with a fresh random suffix.</summary>
    public static string New(string accountId, string region, string name) =>
        Prefix(accountId, region) + name + "-" + RandomNumberGenerator.GetString(Alphabet, 6);

    /// <summary>
    /// The name a SecretId asks for and, for a full ARN, the ARN it must match; null when it is an ARN of another
    /// account, region or service (no secret here has it).
    /// </summary>
    public static SecretLookup? Parse(string accountId, string region, string secretId)
    {
        ArgumentNullException.ThrowIfNull(secretId);
        if (!secretId.StartsWith("arn:", StringComparison.Ordinal))
        {
            return new SecretLookup(secretId, null, secretId);
        }

        var prefix = Prefix(accountId, region);
        if (!secretId.StartsWith(prefix, StringComparison.Ordinal) || secretId.Length == prefix.Length)
        {
            return null;
        }

        var rest = secretId[prefix.Length..];
        return new SecretLookup(rest, secretId, secretId);
    }
}

/// <summary>
/// What a SecretId names: <paramref name="Name"/> (a name or the tail of an ARN) and, when it is an ARN, the ARN the secret
/// must have to be a full-ARN match; a partial ARN matches by name.
/// </summary>
public sealed record SecretLookup(string Name, string? Arn, string Asked)
{
    /// <summary>The names a store lookup tries: the tail itself, then for a full ARN the tail without its "-XXXXXX".</summary>
    public IEnumerable<string> CandidateNames()
    {
        if (Arn is not null && Name.Length > 7 && Name[^7] == '-')
        {
            yield return Name[..^7];
        }

        yield return Name;
    }
}
