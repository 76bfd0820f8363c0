using System.Text;
using System.Xml;

namespace Cairn.Server.Aws;

/// <summary>
/// Makes any string writable on the wire: XML 1.0 cannot carry control characters (other than tab, LF, CR) or lone
/// surrogates, and UTF-8 cannot carry lone surrogates. Each such character becomes U+FFFD, so a stored or echoed value
/// never turns a response into a 500.
/// </summary>
internal static class WireText
{
    public const char Replacement = '\uFFFD';

    /// <summary>The same instance when every character is allowed in XML (the usual case: no copy).</summary>
    public static string ForXml(string value) => IsXmlSafe(value) ? value : Replace(value, xml: true);

    /// <summary>The same instance unless it holds a lone surrogate (JSON escapes control characters itself).</summary>
    public static string ForJson(string value) => IsUtf16Valid(value) ? value : Replace(value, xml: false);

    public static bool IsXmlSafe(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c < 0xD800)
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (!XmlConvert.IsXmlChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsUtf16Valid(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }

    private static string Replace(string value, bool xml)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                builder.Append(c).Append(value[++i]);
            }
            else if (char.IsSurrogate(c) || (xml && !XmlConvert.IsXmlChar(c)))
            {
                builder.Append(Replacement);
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
