using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cairn.Core.Buildspec;

/// <summary>Renders diagnostics like a compiler (<c>file:line:col: error CODE: message</c>) or as JSON.</summary>
public static class BuildspecDiagnosticFormatter
{
    /// <summary>One line per diagnostic plus an indented hint line; AWS's status code leads the message when CodeBuild would fail.</summary>
    public static string FormatText(string file, IEnumerable<IDiagnostic> diagnostics)
    {
        var text = new StringBuilder();
        foreach (var diagnostic in diagnostics)
        {
            text.Append(CultureInfo.InvariantCulture, $"{file}:{diagnostic.Location.Line}:{diagnostic.Location.Column}: {SeverityName(diagnostic.Severity)} {diagnostic.Code}: ");
            if (diagnostic.AwsStatusCode is { } status)
            {
                text.Append(status).Append(": ");
            }

            text.Append(diagnostic.Message).Append('\n');
            if (diagnostic.Hint is { } hint)
            {
                text.Append("  hint: ").Append(hint).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// <c>{"file", "errors", "warnings", "diagnostics": [{severity, code, message, line, column, hint, awsStatusCode}]}</c>;
    /// quotes and apostrophes are written as themselves (this is for terminals and tools, not HTML).
    /// </summary>
    public static string FormatJson(string file, IReadOnlyCollection<IDiagnostic> diagnostics)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteNumber("errors", diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
            json.WriteNumber("warnings", diagnostics.Count(d => d.Severity != DiagnosticSeverity.Error));
            json.WriteStartArray("diagnostics");
            foreach (var diagnostic in diagnostics)
            {
                json.WriteStartObject();
                json.WriteString("severity", SeverityName(diagnostic.Severity));
                json.WriteString("code", diagnostic.Code);
                json.WriteString("message", diagnostic.Message);
                json.WriteNumber("line", diagnostic.Location.Line);
                json.WriteNumber("column", diagnostic.Location.Column);
                if (diagnostic.Hint is { } hint)
                {
                    json.WriteString("hint", hint);
                }

                if (diagnostic.AwsStatusCode is { } status)
                {
                    json.WriteString("awsStatusCode", status);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string SeverityName(DiagnosticSeverity severity) => severity == DiagnosticSeverity.Error ? "error" : "warning";
}
