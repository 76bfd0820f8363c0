using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cairn.Runner.Masking;

/// <summary>
/// The spellings of one secret that the masker hides: the value itself, each of its lines, its base64 (standard and
/// URL-safe alphabets, aligned at 0, 1 and 2 bytes), its URL-escaped and its JSON-escaped forms.
/// </summary>
/// <remarks>
/// Minimum length rule: the value itself is masked whatever its length (unless it is empty or only whitespace),
/// because the user asked for it; every derived form (a line, an encoding) must be at least
/// <see cref="MinimumDerivedLength"/> UTF-8 bytes, since shorter fragments such as a "}" line or a two-character
/// base64 tail would mask unrelated output while revealing almost nothing about the secret.
/// </remarks>
public static class SecretForms
{
    /// <summary>Shortest derived form (line or encoding), in UTF-8 bytes, that is masked.</summary>
    public const int MinimumDerivedLength = 4;

    /// <summary>Every distinct form of <paramref name="value"/> to mask, the value first; empty for a blank value.</summary>
    public static IReadOnlyList<string> Expand(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var forms = new List<string>();
        if (string.IsNullOrWhiteSpace(value))
        {
            return forms;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { value };
        forms.Add(value);
        void AddDerived(string form)
        {
            if (Encoding.UTF8.GetByteCount(form) >= MinimumDerivedLength && seen.Add(form))
            {
                forms.Add(form);
            }
        }

        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal))
        {
            foreach (var line in value.Split('\n'))
            {
                var withoutCarriageReturn = line.TrimEnd('\r');
                AddDerived(withoutCarriageReturn);
                AddDerived(withoutCarriageReturn.Trim());
            }
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        for (var shift = 0; shift < 3; shift++)
        {
            var base64 = AlignedBase64(bytes, shift);
            AddDerived(base64);
            AddDerived(base64.Replace('+', '-').Replace('/', '_'));
        }

        var uriEscaped = Uri.EscapeDataString(value);
        AddDerived(uriEscaped);
        AddDerived(uriEscaped.Replace("%20", "+", StringComparison.Ordinal));
        AddDerived(LowercasePercentHex(uriEscaped));

        AddDerived(JsonEscape(value, escapeNonAscii: false, upperHex: false));
        AddDerived(JsonEscape(value, escapeNonAscii: true, upperHex: false));
        AddDerived(JsonEscape(value, escapeNonAscii: true, upperHex: true));
        // System.Text.Json's default encoder also escapes HTML-sensitive characters such as < > & ' +.
        AddDerived(JsonEncodedText.Encode(value).ToString());
        return forms;
    }

    /// <summary>
    /// The base64 characters that depend only on the secret's bytes when the secret starts <paramref name="shift"/>
    /// bytes into a 3-byte group of a longer encoded stream; characters mixing in neighbouring bytes are left out.
    /// </summary>
    internal static string AlignedBase64(byte[] secret, int shift)
    {
        var buffer = new byte[shift + secret.Length];
        secret.CopyTo(buffer, shift);
        var encoded = Convert.ToBase64String(buffer);
        var first = ((8 * shift) + 5) / 6;
        var end = 8 * (shift + secret.Length) / 6;
        return end > first ? encoded[first..end] : string.Empty;
    }

    private static string LowercasePercentHex(string escaped)
    {
        var builder = new StringBuilder(escaped.Length);
        for (var i = 0; i < escaped.Length; i++)
        {
            builder.Append(escaped[i]);
            if (escaped[i] == '%' && i + 2 < escaped.Length)
            {
                builder.Append(char.ToLowerInvariant(escaped[i + 1])).Append(char.ToLowerInvariant(escaped[i + 2]));
                i += 2;
            }
        }

        return builder.ToString();
    }

    private static string JsonEscape(string value, bool escapeNonAscii, bool upperHex)
    {
        var builder = new StringBuilder(value.Length + 8);
        var hexFormat = upperHex ? "X4" : "x4";
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < 0x20 || (escapeNonAscii && c > 0x7e))
                    {
                        builder.Append("\\u").Append(((int)c).ToString(hexFormat, CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
