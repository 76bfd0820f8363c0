using System.Text;
using System.Text.Json;
using Cairn.Core.Buildspec;

namespace Cairn.Core.Pipelines.Lint;

/// <summary>
/// Where each member and element of a JSON text starts, by path (<c>pipeline.stages[1].actions[0].configuration.ProjectName</c>),
/// so a finding about a declaration can point at its line and column. Built by one pass of the reader over the text.
/// </summary>
public sealed class JsonLocator
{
    private readonly Dictionary<string, SourceLocation> _locations = new(StringComparer.Ordinal);

    private JsonLocator()
    {
    }

    /// <summary>A locator that knows no text: every path is line 1.</summary>
    public static JsonLocator Empty { get; } = new();

    /// <summary>Locates the members of <paramref name="text"/>; throws <see cref="JsonException"/> when it is not JSON.</summary>
    public static JsonLocator Build(string text)
    {
        var locator = new JsonLocator();
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        // Each open container: its path, and for arrays the index of the next element.
        var stack = new Stack<(string Path, bool IsArray, int Next)>();
        string? pendingMember = null;
        while (reader.Read())
        {
            var location = At(lineStarts, bytes, (int)reader.TokenStartIndex);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var parent = stack.Peek().Path;
                    pendingMember = parent.Length == 0 ? reader.GetString()! : parent + "." + reader.GetString();
                    locator._locations.TryAdd(pendingMember, location);
                    continue;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    stack.Pop();
                    continue;
            }

            var path = pendingMember ?? string.Empty;
            pendingMember = null;
            if (stack.Count > 0 && stack.Peek().IsArray)
            {
                var (arrayPath, _, next) = stack.Pop();
                stack.Push((arrayPath, true, next + 1));
                path = $"{arrayPath}[{next}]";
                locator._locations.TryAdd(path, location);
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                stack.Push((path, reader.TokenType == JsonTokenType.StartArray, 0));
            }
        }

        return locator;
    }

    /// <summary>Where <paramref name="path"/> starts, or where its nearest located parent does (line 1 when nothing is).</summary>
    public SourceLocation Find(string path)
    {
        for (var candidate = path; ; candidate = Parent(candidate))
        {
            if (_locations.TryGetValue(candidate, out var location))
            {
                return location;
            }

            if (candidate.Length == 0)
            {
                return new SourceLocation(1, 1);
            }
        }
    }

    private static string Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? string.Empty : path[..cut];
    }

    private static SourceLocation At(List<int> lineStarts, byte[] bytes, int offset)
    {
        var line = lineStarts.BinarySearch(offset);
        line = line >= 0 ? line : ~line - 1;
        var column = Encoding.UTF8.GetCharCount(bytes, lineStarts[line], offset - lineStarts[line]) + 1;
        return new SourceLocation(line + 1, column);
    }
}
