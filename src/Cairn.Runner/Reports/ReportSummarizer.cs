using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Cairn.Runner.Artifacts;

namespace Cairn.Runner.Reports;

/// <summary>Reads the test and coverage report formats CodeBuild accepts and sums them per report group.</summary>
public static class ReportSummarizer
{
    public static readonly IReadOnlyList<string> TestFormats = ["JUNITXML", "CUCUMBERJSON", "NUNITXML", "NUNIT3XML", "TESTNGXML", "VISUALSTUDIOTRX"];

    public static readonly IReadOnlyList<string> CoverageFormats = ["CLOVERXML", "COBERTURAXML", "JACOCOXML", "SIMPLECOV"];

    public static ReportSummary Summarize(string sourceRoot, ReportSpec spec)
    {
        var format = spec.FileFormat.ToUpperInvariant();
        var problems = new List<string>();
        if (!TestFormats.Contains(format) && !CoverageFormats.Contains(format))
        {
            problems.Add($"unknown file-format '{spec.FileFormat}'; use one of {string.Join(", ", TestFormats.Concat(CoverageFormats))}");
            return new ReportSummary(spec.Group, format, 0, 0, 0, 0, null, [], [], problems);
        }

        IReadOnlyList<string> files;
        try
        {
            files = ArtifactPackager.Match(sourceRoot, new ArtifactSpec(spec.Files, spec.BaseDirectory));
        }
        catch (ArtifactException error)
        {
            return new ReportSummary(spec.Group, format, 0, 0, 0, 0, null, [], [], [error.Message]);
        }

        if (files.Count == 0)
        {
            problems.Add($"no report files matched {string.Join(", ", spec.Files)}");
        }

        var baseDirectory = Path.Combine(sourceRoot, spec.BaseDirectory ?? ".");
        double covered = 0, valid = 0;
        var cases = new List<TestCaseResult>();
        foreach (var file in files)
        {
            try
            {
                var path = Path.Combine(baseDirectory, file);
                if (CoverageFormats.Contains(format))
                {
                    var (c, v) = ReadCoverage(format, path);
                    covered += c;
                    valid += v;
                    continue;
                }

                // Read whole before adding, so a file broken half-way adds nothing.
                cases.AddRange(ReadTests(format, path, file).ToList());
            }
            catch (Exception error) when (error is System.Xml.XmlException or JsonException or FormatException or InvalidOperationException
                or KeyNotFoundException or OverflowException)
            {
                problems.Add($"{file}: not a valid {format} report ({error.Message})");
            }
        }

        double? coverage = CoverageFormats.Contains(format) ? (valid == 0 ? 0 : Math.Round(100 * covered / valid, 2)) : null;
        var failed = cases.Where(c => c.Status is TestCaseStatuses.Failed or TestCaseStatuses.Error).ToList();
        return new ReportSummary(
            spec.Group, format, cases.Count, cases.Count(c => c.Status == TestCaseStatuses.Succeeded), failed.Count,
            cases.Count(c => c.Status is TestCaseStatuses.Skipped or TestCaseStatuses.Unknown), coverage, files,
            failed.Select(c => $"{c.Prefix}.{c.Name}".TrimStart('.')).ToList(), problems)
        {
            Cases = cases,
            DurationInNanoSeconds = cases.Sum(c => c.DurationInNanoSeconds),
            LinesCovered = (long)covered,
            LinesMissed = (long)(valid - covered),
        };
    }

    private static IEnumerable<TestCaseResult> ReadTests(string format, string path, string file)
    {
        if (format == "CUCUMBERJSON")
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            foreach (var feature in document.RootElement.EnumerateArray())
            {
                var featureName = feature.TryGetProperty("name", out var f) ? f.GetString() ?? string.Empty : string.Empty;
                foreach (var scenario in feature.TryGetProperty("elements", out var elements) ? elements.EnumerateArray() : default)
                {
                    var results = scenario.TryGetProperty("steps", out var steps)
                        ? steps.EnumerateArray().Select(s => s.GetProperty("result")).ToList()
                        : [];
                    var statuses = results.Select(r => r.GetProperty("status").GetString()).ToList();
                    var name = scenario.TryGetProperty("name", out var n) ? n.GetString() ?? "?" : "?";
                    var duration = results.Sum(r => r.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetInt64() : 0);
                    var message = results.Select(r => r.TryGetProperty("error_message", out var m) ? m.GetString() : null).FirstOrDefault(m => m is not null);
                    var status = statuses.Any(s => s is "failed" or "ambiguous") ? TestCaseStatuses.Failed
                        : statuses.Any(s => s is "undefined") ? TestCaseStatuses.Error
                        : statuses.All(s => s == "passed") ? TestCaseStatuses.Succeeded
                        : TestCaseStatuses.Skipped;
                    yield return new TestCaseResult(name, featureName, status, duration, Failing(status) ? message : null, featureName, file);
                }
            }

            yield break;
        }

        var root = XDocument.Load(path).Root ?? throw new FormatException("empty document");
        var all = root.DescendantsAndSelf();
        switch (format)
        {
            case "JUNITXML":
                foreach (var test in all.Where(e => e.Name.LocalName == "testcase"))
                {
                    var children = test.Elements().ToList();
                    var failure = children.FirstOrDefault(e => e.Name.LocalName == "failure");
                    var error = children.FirstOrDefault(e => e.Name.LocalName == "error");
                    var status = failure is not null ? TestCaseStatuses.Failed
                        : error is not null ? TestCaseStatuses.Error
                        : children.Any(e => e.Name.LocalName == "skipped") ? TestCaseStatuses.Skipped
                        : TestCaseStatuses.Succeeded;
                    yield return new TestCaseResult(
                        (string?)test.Attribute("name") ?? "?", (string?)test.Attribute("classname") ?? string.Empty, status,
                        Seconds((string?)test.Attribute("time")), MessageOf(failure ?? error),
                        (string?)test.Ancestors().FirstOrDefault(e => e.Name.LocalName == "testsuite")?.Attribute("name"), file);
                }

                break;
            case "NUNITXML":
            case "NUNIT3XML":
                foreach (var test in all.Where(e => e.Name.LocalName == "test-case"))
                {
                    var result = ((string?)test.Attribute("result") ?? string.Empty).ToUpperInvariant();
                    var status = result is "SUCCESS" or "PASSED" ? TestCaseStatuses.Succeeded
                        : result is "FAILURE" or "FAILED" ? TestCaseStatuses.Failed
                        : result is "ERROR" ? TestCaseStatuses.Error
                        : TestCaseStatuses.Skipped;
                    var name = (string?)test.Attribute("name") ?? "?";
                    var fullName = (string?)test.Attribute("fullname") ?? name;
                    var prefix = (string?)test.Attribute("classname")
                        ?? (fullName.EndsWith("." + name, StringComparison.Ordinal) ? fullName[..^(name.Length + 1)] : string.Empty);
                    if (prefix.Length == 0 && name.LastIndexOf('.') is var dot and > 0)
                    {
                        (prefix, name) = (name[..dot], name[(dot + 1)..]);
                    }

                    var failure = test.Elements().FirstOrDefault(e => e.Name.LocalName == "failure");
                    yield return new TestCaseResult(name, prefix, status, Seconds((string?)test.Attribute("duration") ?? (string?)test.Attribute("time")),
                        Failing(status) ? MessageOf(failure?.Elements().FirstOrDefault(e => e.Name.LocalName == "message") ?? failure) : null, null, file);
                }

                break;
            case "TESTNGXML":
                foreach (var test in all.Where(e => e.Name.LocalName == "test-method" && (string?)e.Attribute("is-config") != "true"))
                {
                    var status = (string?)test.Attribute("status") switch
                    {
                        "PASS" => TestCaseStatuses.Succeeded,
                        "FAIL" => TestCaseStatuses.Failed,
                        _ => TestCaseStatuses.Skipped,
                    };
                    var exception = test.Elements().FirstOrDefault(e => e.Name.LocalName == "exception");
                    var message = exception?.Elements().FirstOrDefault(e => e.Name.LocalName == "message");
                    yield return new TestCaseResult((string?)test.Attribute("name") ?? "?",
                        (string?)test.Ancestors().FirstOrDefault(e => e.Name.LocalName == "class")?.Attribute("name") ?? string.Empty, status,
                        Milliseconds((string?)test.Attribute("duration-ms")), Failing(status) ? MessageOf(message ?? exception) : null,
                        (string?)test.Ancestors().FirstOrDefault(e => e.Name.LocalName == "suite")?.Attribute("name"), file);
                }

                break;
            case "VISUALSTUDIOTRX":
                foreach (var test in all.Where(e => e.Name.LocalName == "UnitTestResult"))
                {
                    var status = (string?)test.Attribute("outcome") switch
                    {
                        "Passed" => TestCaseStatuses.Succeeded,
                        "Failed" => TestCaseStatuses.Failed,
                        "Error" or "Timeout" or "Aborted" => TestCaseStatuses.Error,
                        _ => TestCaseStatuses.Skipped,
                    };
                    var name = (string?)test.Attribute("testName") ?? "?";
                    var dot = name.LastIndexOf('.');
                    var duration = (string?)test.Attribute("duration") is { } d
                        ? TimeSpan.Parse(d, CultureInfo.InvariantCulture).Ticks * 100
                        : 0;
                    var message = test.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message");
                    yield return new TestCaseResult(dot > 0 ? name[(dot + 1)..] : name, dot > 0 ? name[..dot] : string.Empty, status, duration,
                        Failing(status) ? MessageOf(message) : null, null, file);
                }

                break;
        }
    }

    private static bool Failing(string status) => status is TestCaseStatuses.Failed or TestCaseStatuses.Error;

    /// <summary>The message attribute and the element's text (JUnit's stack trace), trimmed; null when both are empty.</summary>
    private static string? MessageOf(XElement? element)
    {
        if (element is null)
        {
            return null;
        }

        var parts = new[] { (string?)element.Attribute("message"), element.Value.Trim() }
            .Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.Ordinal).ToList();
        var text = string.Join("\n", parts);
        return text.Length == 0 ? null : text.Length > MaxMessage ? text[..MaxMessage] : text;
    }

    private const int MaxMessage = 8192;

    private static long Seconds(string? value) =>
        value is null ? 0 : (long)(double.Parse(value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture) * 1e9);

    private static long Milliseconds(string? value) =>
        value is null ? 0 : long.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture) * 1_000_000;

    private static (double Covered, double Valid) ReadCoverage(string format, string path)
    {
        if (format == "SIMPLECOV")
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var lines = document.RootElement.GetProperty("metrics");
            return (lines.GetProperty("covered_lines").GetDouble(), lines.GetProperty("total_lines").GetDouble());
        }

        var root = XDocument.Load(path).Root ?? throw new FormatException("empty document");
        switch (format)
        {
            case "COBERTURAXML":
                return (Number(root.Attribute("lines-covered")), Number(root.Attribute("lines-valid")));
            case "JACOCOXML":
                var counter = root.Elements().FirstOrDefault(e => e.Name.LocalName == "counter" && (string?)e.Attribute("type") == "LINE")
                    ?? throw new FormatException("no report-level LINE counter");
                var covered = Number(counter.Attribute("covered"));
                return (covered, covered + Number(counter.Attribute("missed")));
            default: // CLOVERXML
                var metrics = root.Descendants().FirstOrDefault(e => e.Name.LocalName == "metrics")
                    ?? throw new FormatException("no metrics element");
                return (Number(metrics.Attribute("coveredstatements")), Number(metrics.Attribute("statements")));
        }
    }

    private static double Number(XAttribute? attribute) =>
        attribute is null ? throw new FormatException($"missing attribute") : double.Parse(attribute.Value, CultureInfo.InvariantCulture);
}
