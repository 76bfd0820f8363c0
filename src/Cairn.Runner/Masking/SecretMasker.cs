using System.Text;

namespace Cairn.Runner.Masking;

/// <summary>
/// The one place build output is masked: every form of every secret (see <see cref="SecretForms"/>) becomes
/// <c>***</c>, and overlapping or touching matches merge into one <c>***</c>. Secrets may be added at any time,
/// from any thread; text already written stays as it was.
/// </summary>
public sealed class SecretMasker
{
    /// <summary>What a masked range is replaced with.</summary>
    public const string Mask = "***";

    internal static readonly byte[] MaskBytes = Encoding.ASCII.GetBytes(Mask);

    private readonly Lock _gate = new();
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _patterns = new(StringComparer.Ordinal);
    private MaskingIndex _index = MaskingIndex.Empty;

    /// <summary>Number of distinct secret values added.</summary>
    public int SecretCount
    {
        get
        {
            lock (_gate)
            {
                return _secrets.Count;
            }
        }
    }

    /// <summary>Number of distinct byte patterns searched for (all forms of all secrets).</summary>
    public int PatternCount => Index.PatternCount;

    internal MaskingIndex Index => Volatile.Read(ref _index);

    /// <summary>Adds one secret value; blank values are ignored (see <see cref="SecretForms"/> for the length rule).</summary>
    public void AddSecret(string value) => AddSecrets([value]);

    /// <summary>Adds several secret values at once, rebuilding the search index once.</summary>
    public void AddSecrets(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        lock (_gate)
        {
            var changed = false;
            foreach (var value in values)
            {
                if (value is null || !_secrets.Add(value))
                {
                    continue;
                }

                foreach (var form in SecretForms.Expand(value))
                {
                    changed |= _patterns.TryAdd(form, Encoding.UTF8.GetBytes(form));
                }
            }

            if (changed)
            {
                Volatile.Write(ref _index, MaskingIndex.Build(_patterns.Values));
            }
        }
    }

    /// <summary>Masks one complete text, such as a log line written by the runner itself.</summary>
    public string MaskText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var index = Index;
        if (index.PatternCount == 0 || text.Length == 0)
        {
            return text;
        }

        using var output = new MemoryStream(text.Length + 16);
        var rangeEnd = -1;
        index.Scan(Encoding.UTF8.GetBytes(text), final: true, ref rangeEnd, output);
        return Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
    }

    /// <summary>
    /// A stream that masks everything written to it before passing it to <paramref name="inner"/>, holding back
    /// only the trailing bytes that could still turn out to be the start of a secret.
    /// </summary>
    public MaskingStream CreateStream(Stream inner, bool leaveOpen = false) => new(this, inner, leaveOpen);
}
