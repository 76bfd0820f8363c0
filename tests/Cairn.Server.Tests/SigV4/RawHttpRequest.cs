using System.Text;
using Cairn.Server.Aws.SigV4;

namespace Cairn.Server.Tests.SigV4;

/// <summary>Reads the test suites' request files (request line, headers with folded continuation lines, blank line, body).</summary>
internal static class RawHttpRequest
{
    public static AwsHttpRequest Parse(string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = split < 0 ? text.TrimEnd('\n') : text[..split];
        var body = split < 0 ? string.Empty : text[(split + 2)..];
        var lines = head.Split('\n');

        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ', StringComparison.Ordinal)];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal)];
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = question < 0 ? string.Empty : target[(question + 1)..];

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                // An obs-fold continuation line belongs to the previous header's value.
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + "\n" + line);
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(line[..colon], line[(colon + 1)..]));
        }

        return new AwsHttpRequest(method, path, query, headers, Encoding.UTF8.GetBytes(body));
    }
}
