namespace Cairn.Core.Identity;

/// <summary>What a request warns its caller of while succeeding, collected as it runs and sent with its answer.</summary>
public sealed class RequestWarnings
{
    /// <summary>The response header each warning is sent in (one header per warning).</summary>
    public const string Header = "X-Cairn-Warning";

    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> All
    {
        get
        {
            lock (_warnings)
            {
                return [.. _warnings];
            }
        }
    }

    public void Add(string warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        lock (_warnings)
        {
            _warnings.Add(warning);
        }
    }

    /// <summary>A warning as an HTTP header value can carry it: printable ASCII, anything else as '?'.</summary>
    public static string HeaderValue(string warning)
    {
        ArgumentNullException.ThrowIfNull(warning);
        return string.Create(warning.Length, warning, (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = text[i] is >= ' ' and <= '~' ? text[i] : '?';
            }
        });
    }
}
