using System.Text;
using System.Text.Encodings.Web;

namespace Cairn.Dashboard.Logs;

/// <summary>
/// One log line as HTML: every character escaped, ANSI SGR colours (30–37, 90–97, their backgrounds 40–47 and 100–107),
/// bold and reset as classes on spans (the CSP forbids style attributes). Other escape sequences (cursor moves, 256 and
/// true colour) are dropped, never shown as garbage. Styles do not carry over from one line to the next.
/// </summary>
internal static class AnsiHtml
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Default;

    public static string Render(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.AsSpan().TrimEnd('\n').TrimEnd('\r');
        if (text.IndexOf('\u001b') < 0)
        {
            return Encoder.Encode(text.ToString());
        }

        var html = new StringBuilder(text.Length + 32);
        var style = default(Style);
        var open = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\u001b')
            {
                continue;
            }

            Append(html, text[start..i], style, ref open);
            var end = SequenceEnd(text, i);
            if (end < text.Length && text[i + 1] == '[' && text[end] == 'm')
            {
                style = style.Apply(text[(i + 2)..end]);
            }

            i = Math.Min(end, text.Length - 1);
            start = i + 1;
        }

        Append(html, text[start..], style, ref open);
        if (open)
        {
            html.Append("</span>");
        }

        return html.ToString();
    }

    /// <summary>The index of a sequence's final character (for ESC [ params final), or of the character after a lone ESC.</summary>
    private static int SequenceEnd(ReadOnlySpan<char> text, int escape)
    {
        if (escape + 1 >= text.Length)
        {
            return text.Length;
        }

        if (text[escape + 1] != '[')
        {
            return escape + 1;
        }

        var j = escape + 2;
        while (j < text.Length && text[j] is >= '0' and <= '?')
        {
            j++;
        }

        while (j < text.Length && text[j] is >= ' ' and <= '/')
        {
            j++;
        }

        return j;
    }

    private static void Append(StringBuilder html, ReadOnlySpan<char> text, Style style, ref bool open)
    {
        if (text.IsEmpty)
        {
            return;
        }

        if (open)
        {
            html.Append("</span>");
            open = false;
        }

        if (style.Classes() is { } classes)
        {
            html.Append("<span class=\"").Append(classes).Append("\">");
            open = true;
        }

        html.Append(Encoder.Encode(text.ToString()));
        if (open)
        {
            html.Append("</span>");
            open = false;
        }
    }

    private readonly record struct Style(int Foreground, int Background, bool Bold)
    {
        /// <summary>The style after the SGR parameters <paramref name="parameters"/> ("1;31", "" for reset).</summary>
        public Style Apply(ReadOnlySpan<char> parameters)
        {
            var style = this;
            if (parameters.IsEmpty)
            {
                return default;
            }

            var codes = new List<int>();
            foreach (var range in parameters.Split(';'))
            {
                codes.Add(int.TryParse(parameters[range], out var code) ? code : -1);
            }

            for (var i = 0; i < codes.Count; i++)
            {
                style = codes[i] switch
                {
                    0 => default,
                    1 => style with { Bold = true },
                    22 => style with { Bold = false },
                    39 => style with { Foreground = 0 },
                    49 => style with { Background = 0 },
                    >= 30 and <= 37 or >= 90 and <= 97 => style with { Foreground = codes[i] },
                    >= 40 and <= 47 or >= 100 and <= 107 => style with { Background = codes[i] },
                    _ => style,
                };

                // 256 and true colour (38;5;n, 38;2;r;g;b and the backgrounds') are not shown: their numbers are not codes.
                if (codes[i] is 38 or 48)
                {
                    i += i + 1 < codes.Count && codes[i + 1] == 2 ? 4 : 2;
                }
            }

            return style;
        }

        public string? Classes()
        {
            if (this == default)
            {
                return null;
            }

            var classes = new List<string>(3);
            if (Bold)
            {
                classes.Add("b");
            }

            if (Foreground != 0)
            {
                classes.Add($"f{Foreground}");
            }

            if (Background != 0)
            {
                classes.Add($"g{Background}");
            }

            return string.Join(' ', classes);
        }
    }
}
