using System.Text.RegularExpressions;

namespace Cairn.Core.Parameters.Hygiene;

/// <summary>Why a value stored in plaintext looks like a secret; <see cref="Evidence"/> never contains the value.</summary>
/// <param name="Strong">A known credential format (certain), rather than a name word or high entropy (likely).</param>
public sealed record SecretLook(bool Strong, string Evidence);

/// <summary>
/// Whether a String or StringList parameter looks like a secret that should be a SecureString: known credential
/// formats in the value (AWS access keys, GitHub/GitLab/Slack tokens, private keys, JWTs, passwords in URLs), words in
/// the name (password, token, secret, key, ...), or a long value of high entropy.
/// </summary>
public static partial class SecretLooks
{
    private const double EntropyBitsPerChar = 3.5;
    private const int EntropyMinLength = 20;

    private static readonly (string Name, Regex Pattern)[] Formats =
    [
        ("an AWS access key id (AKIA/ASIA...)", AwsKeyId()),
        ("a GitHub token (ghp_/gho_/ghs_/ghu_/github_pat_...)", GitHubToken()),
        ("a GitLab token (glpat-...)", GitLabToken()),
        ("a Slack token (xox.-...)", SlackToken()),
        ("a private key (-----BEGIN ... PRIVATE KEY-----)", PrivateKey()),
        ("a JSON Web Token (eyJ...)", Jwt()),
        ("a URL with a password (scheme://user:password@host)", UrlPassword()),
    ];

    private static readonly string[] NameWords = ["password", "passwd", "pwd", "secret", "token", "key", "apikey", "credential", "credentials", "private", "auth", "passphrase"];

    /// <summary>Null when nothing suggests a secret.</summary>
    public static SecretLook? Inspect(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        foreach (var (formatName, pattern) in Formats)
        {
            if (pattern.IsMatch(value))
            {
                return new SecretLook(true, $"the value has the format of {formatName}");
            }
        }

        var words = Naming.NamingPattern.Words(name).Select(w => w.ToLowerInvariant()).ToList();
        var word = NameWords.FirstOrDefault(words.Contains)
            ?? NameWords.FirstOrDefault(w => w.Length > 4 && name.Contains(w, StringComparison.OrdinalIgnoreCase));
        if (word is not null && !LooksPublic(words, value))
        {
            return new SecretLook(false, $"the name has the word '{word}'");
        }

        var entropy = Entropy(value);
        if (value.Length >= EntropyMinLength && !value.Contains(' ', StringComparison.Ordinal) && entropy >= EntropyBitsPerChar && !UrlOrPath().IsMatch(value) && !Uuid().IsMatch(value))
        {
            return new SecretLook(false, $"the value is {value.Length} characters of high entropy ({entropy:0.0} bits per character)");
        }

        return null;
    }

    /// <summary>Shannon entropy per character.</summary>
    public static double Entropy(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            return 0;
        }

        return value.GroupBy(c => c).Sum(g =>
        {
            var p = (double)g.Count() / value.Length;
            return -p * Math.Log2(p);
        });
    }

    // "public key", "key id" and a URL under a name with "key" are not secrets.
    private static bool LooksPublic(List<string> words, string value) =>
        (words.Contains("public") || (words.Contains("key") && (words.Contains("id") || words.Contains("name"))))
        || (UrlOrPath().IsMatch(value) && !UrlPassword().IsMatch(value));

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex Uuid();

    [GeneratedRegex(@"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b", RegexOptions.CultureInvariant)]
    private static partial Regex AwsKeyId();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\bglpat-[A-Za-z0-9_\-]{20,}", RegexOptions.CultureInvariant)]
    private static partial Regex GitLabToken();

    [GeneratedRegex(@"\bxox[abposr]-[A-Za-z0-9-]{10,}", RegexOptions.CultureInvariant)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY( BLOCK)?-----", RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"^(?:[a-z][a-z0-9+.-]*://|/|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[:/]|$))", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UrlOrPath();
}
