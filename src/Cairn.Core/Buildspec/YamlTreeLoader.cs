using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Cairn.Core.Buildspec;

/// <summary>
/// Loads the first YAML document into a <see cref="YamlTreeNode"/> tree. Syntax errors become one diagnostic in
/// CodeBuild's wording ("found character that cannot start any token at line 3"); duplicate keys and unknown
/// aliases become diagnostics too. Merge keys (<c>&lt;&lt;: *anchor</c>) are applied, as go-yaml does.
/// </summary>
internal sealed class YamlTreeLoader
{
    private readonly string _source;
    private readonly List<BuildspecDiagnostic> _errors;
    private readonly Parser _parser;
    private readonly Dictionary<string, YamlTreeNode> _anchors = new(StringComparer.Ordinal);
    private readonly Stack<(char Close, Mark Start)> _openFlows = new();
    private Mark _lastEnd = Mark.Empty;

    private YamlTreeLoader(string source, List<BuildspecDiagnostic> errors)
    {
        _source = source;
        _errors = errors;
        _parser = new Parser(new StringReader(source));
    }

    /// <summary>The root node, or null when the text is empty, only comments, or not valid YAML (then an error is added).</summary>
    public static YamlTreeNode? Load(string source, List<BuildspecDiagnostic> errors) => new YamlTreeLoader(source, errors).Load();

    private YamlTreeNode? Load()
    {
        try
        {
            Next<StreamStart>();
            if (!_parser.MoveNext() || _parser.Current is StreamEnd)
            {
                return null;
            }

            if (_parser.Current is not DocumentStart)
            {
                throw new YamlException(_parser.Current!.Start, _parser.Current.End, "did not find expected <document start>");
            }

            if (!_parser.MoveNext())
            {
                return null;
            }

            return _parser.Current is DocumentEnd ? null : ReadNode(_parser.Current!);
        }
        catch (YamlException error)
        {
            var flow = _openFlows.FirstOrDefault(open => open.Close != ' ');
            var location = flow.Close != default && error.Message.Contains("did not find expected ','", StringComparison.Ordinal) ? flow.Start : error.Start;
            AddSyntaxError(error.Message, ToLocation(location), error is SyntaxErrorException or SemanticErrorException);
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this for an unterminated flow collection.
            // Reported where the unclosed [ or { opens: that is where the fix goes.
            var flow = _openFlows.FirstOrDefault(open => open.Close != ' ');
            var message = flow.Close != default ? $"did not find expected ',' or '{flow.Close}'" : "did not find expected node content";
            AddSyntaxError(message, ToLocation(flow.Close != default ? flow.Start : _lastEnd), fromParser: false);
            return null;
        }
    }

    private YamlTreeNode ReadNode(ParsingEvent current)
    {
        switch (current)
        {
            case AnchorAlias alias:
                if (_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }

                throw new YamlException(alias.Start, alias.End, $"unknown anchor '{alias.Value.Value}' referenced");

            case Scalar scalar:
                var node = new YamlTreeScalar(scalar.Value, scalar.Style, ExplicitTag(scalar.Tag), ToLocation(scalar.Start), (int)scalar.Start.Index, (int)scalar.End.Index);
                Remember(scalar.Anchor, node);
                return node;

            case SequenceStart start:
                return ReadSequence(start);

            case MappingStart start:
                return ReadMapping(start);

            default:
                throw new YamlException(current.Start, current.End, "did not find expected node content");
        }
    }

    private YamlTreeSequence ReadSequence(SequenceStart start)
    {
        var sequence = new YamlTreeSequence(ToLocation(start.Start), (int)start.Start.Index);
        Remember(start.Anchor, sequence);
        _openFlows.Push((start.Style == SequenceStyle.Flow ? ']' : ' ', start.Start));
        while (Next() is not SequenceEnd)
        {
            sequence.Items.Add(ReadNode(_parser.Current!));
        }

        _openFlows.Pop();
        sequence.EndIndex = EndOf(start.Style == SequenceStyle.Flow, sequence.Items.LastOrDefault());
        return sequence;
    }

    private YamlTreeMapping ReadMapping(MappingStart start)
    {
        var mapping = new YamlTreeMapping(ToLocation(start.Start), (int)start.Start.Index);
        Remember(start.Anchor, mapping);
        _openFlows.Push((start.Style == MappingStyle.Flow ? '}' : ' ', start.Start));
        var merges = new List<YamlTreeNode>();
        while (Next() is not MappingEnd)
        {
            var keyEvent = _parser.Current!;
            var key = ReadNode(keyEvent);
            var value = ReadNode(Next());
            if (key is not YamlTreeScalar scalarKey)
            {
                throw new YamlException(keyEvent.Start, keyEvent.End, "found a mapping key that is not a string");
            }

            if (scalarKey is { IsPlain: true, Value: "<<", Tag: null })
            {
                merges.Add(value);
                continue;
            }

            var existing = mapping.Entries.FindIndex(entry => entry.Key.Value == scalarKey.Value);
            if (existing >= 0)
            {
                var first = mapping.Entries[existing].Key.Location.Line;
                _errors.Add(new BuildspecDiagnostic(
                    DiagnosticSeverity.Error,
                    BuildspecDiagnosticCodes.DuplicateKey,
                    $"line {scalarKey.Location.Line}: mapping key \"{scalarKey.Value}\" already defined at line {first}",
                    scalarKey.Location,
                    $"'{scalarKey.Value}' is also on line {first}; keep one and merge their contents.",
                    BuildspecDiagnosticCodes.YamlFileError));
                mapping.Entries.RemoveAt(existing);
            }

            mapping.Entries.Add(new(scalarKey, value));
        }

        _openFlows.Pop();
        foreach (var merge in merges)
        {
            Merge(mapping, merge);
        }

        mapping.EndIndex = EndOf(start.Style == MappingStyle.Flow, mapping.Entries.Count == 0 ? null : mapping.Entries[^1].Value);
        return mapping;
    }

    // Explicit keys win over merged ones; among merged mappings the earlier one wins.
    private static void Merge(YamlTreeMapping mapping, YamlTreeNode merge)
    {
        var sources = merge switch
        {
            YamlTreeMapping single => [single],
            YamlTreeSequence sequence => sequence.Items.OfType<YamlTreeMapping>().ToList(),
            _ => new List<YamlTreeMapping>(),
        };
        foreach (var source in sources)
        {
            foreach (var entry in source.Entries)
            {
                if (!mapping.Entries.Exists(existing => existing.Key.Value == entry.Key.Value))
                {
                    mapping.Entries.Add(entry);
                }
            }
        }
    }

    private int EndOf(bool flow, YamlTreeNode? last) =>
        flow ? (int)_parser.Current!.End.Index : last?.EndIndex ?? (int)_parser.Current!.Start.Index;

    private ParsingEvent Next()
    {
        if (!_parser.MoveNext())
        {
            throw new YamlException(_lastEnd, _lastEnd, "found unexpected end of stream");
        }

        _lastEnd = _parser.Current!.End;
        return _parser.Current;
    }

    private void Next<T>()
        where T : ParsingEvent
    {
        if (Next() is not T)
        {
            throw new YamlException(_parser.Current!.Start, _parser.Current.End, "did not find expected node content");
        }
    }

    private void Remember(AnchorName anchor, YamlTreeNode node)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }
    }

    private static string? ExplicitTag(TagName tag) => tag.IsEmpty || tag.IsNonSpecific ? null : tag.Value;

    private static SourceLocation ToLocation(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private void AddSyntaxError(string rawMessage, SourceLocation location, bool fromParser)
    {
        var (message, hint, isTab) = YamlErrorText.Translate(rawMessage, fromParser);
        if (isTab && FirstIndentationTab() is { } tab)
        {
            location = tab;
        }

        _errors.Add(new BuildspecDiagnostic(
            DiagnosticSeverity.Error,
            BuildspecDiagnosticCodes.YamlSyntax,
            $"{message} at line {location.Line}",
            location,
            hint,
            BuildspecDiagnosticCodes.YamlFileError));
    }

    private SourceLocation? FirstIndentationTab()
    {
        var lines = _source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            for (var column = 0; column < line.Length && (line[column] == ' ' || line[column] == '\t'); column++)
            {
                if (line[column] == '\t')
                {
                    return new SourceLocation(i + 1, column + 1);
                }
            }
        }

        return null;
    }
}
