using System.Buffers.Text;
using System.Text;
using Cairn.Core.Errors;

namespace Cairn.Core.Parameters;

/// <summary>Opaque NextToken: where the previous page stopped (a parameter key, or a version number for history).</summary>
public static class ParameterPageToken
{
    private const string Prefix = "cairn1:";

    public static string Encode(string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + position));

    /// <summary>Throws InvalidNextToken for anything <see cref="Encode"/> did not produce.</summary>
    public static string Decode(string token)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw AwsErrors.InvalidNextToken();
        }

        if (!text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length == Prefix.Length)
        {
            throw AwsErrors.InvalidNextToken();
        }

        return text[Prefix.Length..];
    }

    public static long DecodeVersion(string token) =>
        long.TryParse(Decode(token), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : throw AwsErrors.InvalidNextToken();
}
