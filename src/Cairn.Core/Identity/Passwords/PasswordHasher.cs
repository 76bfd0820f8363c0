using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Cairn.Core.Identity.Passwords;

/// <summary>
/// Console passwords hashed with Argon2id (RFC 9106), memory-hard, as a PHC string that carries the algorithm, its
/// parameters and the salt with the hash (<c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>), so the parameters can be
/// raised later while older hashes still verify. The plaintext is never kept; comparison is constant-time.
/// </summary>
public sealed class PasswordHasher(Argon2Parameters parameters)
{
    private const string Prefix = "$argon2id$v=19$";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>OWASP's first Argon2id choice (19 MiB, 2 passes, 1 lane): tens of milliseconds per check here.</summary>
    public static Argon2Parameters DefaultParameters { get; } = new(19 * 1024, 2, 1);

    public PasswordHasher()
        : this(DefaultParameters)
    {
    }

    public Argon2Parameters Parameters { get; } = parameters ?? throw new ArgumentNullException(nameof(parameters));

    /// <summary>A new salted hash of <paramref name="password"/> under the current parameters.</summary>
    public string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, Parameters, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}m={Parameters.MemoryKiB},t={Parameters.Iterations},p={Parameters.Parallelism}${Encode(salt)}${Encode(hash)}");
    }

    /// <summary>Whether <paramref name="password"/> is the one <paramref name="encoded"/> was made from, under the parameters stored with it (never the empty one).</summary>
    public static bool Verify(string password, string encoded)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0 || !TryParse(encoded, out var parameters, out var salt, out var expected))
        {
            return false;
        }

        var actual = Derive(password, salt, parameters, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Whether a stored hash was made with weaker parameters than the current ones (worth rehashing at the next sign-in).</summary>
    public bool NeedsRehash(string encoded) =>
        !TryParse(encoded, out var stored, out _, out _)
        || stored.MemoryKiB < Parameters.MemoryKiB || stored.Iterations < Parameters.Iterations;

    /// <summary>Raw Argon2id (RFC 9106 section 3), exposed for its test vectors.</summary>
    internal static byte[] Derive(string password, byte[] salt, Argon2Parameters parameters, int length, byte[]? secret = null, byte[]? associatedData = null) =>
        Derive(Encoding.UTF8.GetBytes(password), salt, parameters, length, secret, associatedData);

    internal static byte[] Derive(byte[] password, byte[] salt, Argon2Parameters parameters, int length, byte[]? secret = null, byte[]? associatedData = null)
    {
        using var argon = new Argon2id(password)
        {
            Salt = salt,
            MemorySize = parameters.MemoryKiB,
            Iterations = parameters.Iterations,
            DegreeOfParallelism = parameters.Parallelism,
            KnownSecret = secret,
            AssociatedData = associatedData,
        };
        try
        {
            return argon.GetBytes(length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    private static bool TryParse(string encoded, out Argon2Parameters parameters, out byte[] salt, out byte[] hash)
    {
        parameters = DefaultParameters;
        salt = hash = [];
        if (encoded is null || !encoded.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = encoded[Prefix.Length..].Split('$');
        if (parts.Length != 3)
        {
            return false;
        }

        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pair in parts[0].Split(','))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !int.TryParse(pair[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            values[pair[..eq]] = value;
        }

        if (!values.TryGetValue("m", out var m) || !values.TryGetValue("t", out var t) || !values.TryGetValue("p", out var p)
            || m < 8 * p || t < 1 || p < 1 || m > 4 * 1024 * 1024)
        {
            return false;
        }

        try
        {
            salt = Decode(parts[1]);
            hash = Decode(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        parameters = new Argon2Parameters(m, t, p);
        return hash.Length >= 16;
    }

    // PHC strings use standard base64 without padding.
    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] Decode(string text) => Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
