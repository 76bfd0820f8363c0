namespace Cairn.Server.Aws.SigV4;

/// <summary>
/// A request as it arrived on the wire, which is what SigV4 signs: the raw (still percent-encoded) path and query,
/// the headers in arrival order, and the body bytes.
/// </summary>
public sealed record AwsHttpRequest(
    string Method,
    string RawPath,
    string RawQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    ReadOnlyMemory<byte> Body)
{
    /// <summary>The first value of a header, compared case-insensitively, or null.</summary>
    public string? Header(string name)
    {
        foreach (var (key, value) in Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
