using System.Security.Cryptography;
using Cairn.Core.Errors;

namespace Cairn.Core.Secrets;

/// <summary>What GetRandomPassword may use: the model's members, with AWS's defaults (32 characters, every type required).</summary>
public sealed record RandomPasswordOptions(
    long Length = RandomPassword.DefaultLength,
    string ExcludeCharacters = "",
    bool ExcludeNumbers = false,
    bool ExcludePunctuation = false,
    bool ExcludeUppercase = false,
    bool ExcludeLowercase = false,
    bool IncludeSpace = false,
    bool RequireEachIncludedType = true);

/// <summary>
/// GetRandomPassword: characters drawn with the cryptographic RNG from the types left after the exclusions (lowercase,
/// uppercase, digits, AWS's 32 punctuation characters, the space when asked); with RequireEachIncludedType, at least one
/// of each letter, digit and punctuation type that still has characters.
/// </summary>
public static class RandomPassword
{
    public const int DefaultLength = 32;
    public const int MaxLength = 4096;

    /// <summary>AWS's punctuation set: every printable ASCII character that is not a letter, digit or space.</summary>
    public const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    public static string Generate(RandomPasswordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Length is < 1 or > MaxLength)
        {
            throw AwsErrors.SecretInvalidParameter($"PasswordLength must be between 1 and {MaxLength}; {options.Length} is not.");
        }

        var excluded = options.ExcludeCharacters;
        string Keep(string set) => new(set.Where(c => !excluded.Contains(c, StringComparison.Ordinal)).ToArray());
        var required = new List<(string Name, string Characters)>();
        void Add(bool include, string name, string set)
        {
            if (include && Keep(set) is { Length: > 0 } kept)
            {
                required.Add((name, kept));
            }
        }

        Add(!options.ExcludeLowercase, "a lowercase letter", "abcdefghijklmnopqrstuvwxyz");
        Add(!options.ExcludeUppercase, "an uppercase letter", "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
        Add(!options.ExcludeNumbers, "a number", "0123456789");
        Add(!options.ExcludePunctuation, "a punctuation character", Punctuation);
        var space = options.IncludeSpace ? Keep(" ") : string.Empty;
        var pool = string.Concat(required.Select(r => r.Characters)) + space;
        if (pool.Length == 0)
        {
            throw AwsErrors.SecretPasswordNoCharacters();
        }

        var length = (int)options.Length;
        if (options.RequireEachIncludedType && required.Count > length)
        {
            throw AwsErrors.SecretPasswordTooShort(length, required.Select(r => r.Name).ToList());
        }

        var password = new char[length];
        var position = 0;
        if (options.RequireEachIncludedType)
        {
            foreach (var (_, characters) in required)
            {
                password[position++] = characters[RandomNumberGenerator.GetInt32(characters.Length)];
            }
        }

        while (position < length)
        {
            password[position++] = pool[RandomNumberGenerator.GetInt32(pool.Length)];
        }

        // The required characters were put first: shuffle (Fisher-Yates) so no position tells a type.
        for (var i = length - 1; i > 0; i--)
        {
            var j = RandomNumberGenerator.GetInt32(i + 1);
            (password[i], password[j]) = (password[j], password[i]);
        }

        return new string(password);
    }
}
