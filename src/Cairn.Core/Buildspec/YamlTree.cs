using YamlDotNet.Core;

namespace Cairn.Core.Buildspec;

// The buildspec reader works on this small tree instead of YamlDotNet's RepresentationModel, which throws on
// duplicate keys and keeps no end offsets; here every node knows its source span.

internal abstract class YamlTreeNode(SourceLocation location, int startIndex, int endIndex)
{
    public SourceLocation Location { get; } = location;

    public int StartIndex { get; } = startIndex;

    public int EndIndex { get; set; } = endIndex;

    /// <summary>The YAML type as go-yaml names it in CodeBuild's messages (!!str, !!map, ...).</summary>
    public abstract string YamlTag { get; }

    /// <summary>The node's text as written.</summary>
    public string SourceText(string source) =>
        source[Math.Clamp(StartIndex, 0, source.Length)..Math.Clamp(EndIndex, StartIndex, source.Length)].TrimEnd();
}

internal sealed class YamlTreeScalar(string value, ScalarStyle style, string? tag, SourceLocation location, int startIndex, int endIndex)
    : YamlTreeNode(location, startIndex, endIndex)
{
    private const string CoreTagPrefix = "tag:yaml.org,2002:";

    public string Value { get; } = value;

    public ScalarStyle Style { get; } = style;

    /// <summary>An explicit tag (<c>!!str</c> -> tag:yaml.org,2002:str), or null.</summary>
    public string? Tag { get; } = tag;

    public bool IsPlain => Style == ScalarStyle.Plain;

    /// <summary>True for <c>~</c>, <c>null</c>, an empty plain value, or an explicit !!null.</summary>
    public bool IsNull => Tag is null
        ? IsPlain && Value is "" or "~" or "null" or "Null" or "NULL"
        : Tag == CoreTagPrefix + "null";

    public override string YamlTag
    {
        get
        {
            if (Tag is not null)
            {
                return Tag.StartsWith(CoreTagPrefix, StringComparison.Ordinal) ? "!!" + Tag[CoreTagPrefix.Length..] : Tag;
            }

            if (!IsPlain)
            {
                return "!!str";
            }

            if (IsNull)
            {
                return "!!null";
            }

            // YAML 1.1 resolution, as go-yaml v2 does it.
            if (Value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE" or "yes" or "Yes" or "YES" or "no" or "No" or "NO"
                or "on" or "On" or "ON" or "off" or "Off" or "OFF" or "y" or "Y" or "n" or "N")
            {
                return "!!bool";
            }

            if (long.TryParse(Value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                return "!!int";
            }

            return double.TryParse(Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
                ? "!!float"
                : "!!str";
        }
    }
}

internal sealed class YamlTreeSequence(SourceLocation location, int startIndex) : YamlTreeNode(location, startIndex, startIndex)
{
    public List<YamlTreeNode> Items { get; } = [];

    public override string YamlTag => "!!seq";
}

internal sealed class YamlTreeMapping(SourceLocation location, int startIndex) : YamlTreeNode(location, startIndex, startIndex)
{
    public List<KeyValuePair<YamlTreeScalar, YamlTreeNode>> Entries { get; } = [];

    public override string YamlTag => "!!map";
}
