using System.Text;
using Cairn.Core.Errors;

namespace Cairn.Server.Aws;

/// <summary>
/// Opaque next-page tokens: a service's prefix and a position, base64. A token is read back only when this service
/// issued it; anything else is the service's invalid-token error.
/// </summary>
internal static class PageTokens
{
    public static string Encode(string prefix, string position) => Convert.ToBase64String(Encoding.UTF8.GetBytes(prefix + position));

    /// <summary>The position <paramref name="token"/> carries (null without a token), or <paramref name="invalid"/>'s error.</summary>
    public static string? Decode(string prefix, string? token, Func<AwsException> invalid)
    {
        if (token is null)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(prefix, StringComparison.Ordinal) && text.Length > prefix.Length)
            {
                return text[prefix.Length..];
            }
        }
        catch (FormatException)
        {
            // Falls through to the error below.
        }

        throw invalid();
    }
}
