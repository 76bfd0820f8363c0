using System.Text;

namespace Cairn.Runner.Kubernetes;

/// <summary>Names and label values Kubernetes accepts, made from build ids and project names.</summary>
public static class KubernetesNames
{
    /// <summary>The Job's name (and its Secret's and ConfigMap's): "cairn-" and the build id's UUID part, lowercased.</summary>
    public static string Job(string buildId) => "cairn-" + Label(buildId[(buildId.LastIndexOf(':') + 1)..]).ToLowerInvariant();

    public static string Secret(string jobName) => jobName + "-env";

    public static string ConfigMap(string jobName) => jobName + "-script";

    /// <summary>A label value: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric.</summary>
    public static string Label(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder();
        foreach (var c in value)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_');
        }

        var label = text.ToString();
        label = label.Length > 63 ? label[..63] : label;
        return label.Trim('.', '_', '-');
    }
}
