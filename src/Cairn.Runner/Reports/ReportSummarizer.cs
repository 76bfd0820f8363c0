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
        int total = 0, passed = 0, failed = 0, skipped = 0;
        double covered = 0, valid = 0;
        var failedTests = new List<string>();
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

                foreach (var (name, outcome) in ReadTests(format, path))
                {
                    total++;
                    switch (outcome)
                    {
                        case Outcome.Passed:
                            passed++;
                            break;
                        case Outcome.Failed:
                            failed++;
                            failedTests.Add(name);
                            break;
                        default:
                            skipped++;
                            break;
                    }
                }
            }
            catch (Exception error) when (error is System.Xml.XmlException or JsonException or FormatException or InvalidOperationException)
            {
                problems.Add($"{file}: not a valid {format} report ({error.Message})");
            }
        }

        double? coverage = CoverageFormats.Contains(format) ? (valid == 0 ? 0 : Math.Round(100 * covered / valid, 2)) : null;
        return new ReportSummary(spec.Group, format, total, passed, failed, skipped, coverage, files, failedTests, problems);
    }

    private enum Outcome
    {
        Passed,
        Failed,
        Skipped,
    }

    private static IEnumerable<(string Name, Outcome Outcome)> ReadTests(string format, string path)
    {
        if (format == "CUCUMBERJSON")
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            foreach (var feature in document.RootElement.EnumerateArray())
            {
                foreach (var scenario in feature.TryGetProperty("elements", out var elements) ? elements.EnumerateArray() : default)
                {
                    var statuses = scenario.TryGetProperty("steps", out var steps)
                        ? steps.EnumerateArray().Select(s => s.GetProperty("result").GetProperty("status").GetString()).ToList()
                        : [];
                    var name = scenario.TryGetProperty("name", out var n) ? n.GetString() ?? "?" : "?";
                    yield return (name, statuses.Any(s => s is "failed" or "undefined" or "ambiguous") ? Outcome.Failed
                        : statuses.All(s => s == "passed") ? Outcome.Passed : Outcome.Skipped);
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
                    var name = $"{(string?)test.Attribute("classname")}.{(string?)test.Attribute("name")}".TrimStart('.');
                    var children = test.Elements().Select(e => e.Name.LocalName).ToList();
                    yield return (name, children.Contains("failure") || children.Contains("error") ? Outcome.Failed
                        : children.Contains("skipped") ? Outcome.Skipped : Outcome.Passed);
                }

                break;
            case "NUNITXML":
            case "NUNIT3XML":
                foreach (var test in all.Where(e => e.Name.LocalName == "test-case"))
                {
                    var result = ((string?)test.Attribute("result") ?? string.Empty).ToUpperInvariant();
                    var executed = (string?)test.Attribute("executed");
                    yield return ((string?)test.Attribute("fullname") ?? (string?)test.Attribute("name") ?? "?",
                        result is "SUCCESS" or "PASSED" ? Outcome.Passed
                        : result is "FAILURE" or "FAILED" or "ERROR" ? Outcome.Failed
                        : executed == "False" || result is "IGNORED" or "SKIPPED" or "INCONCLUSIVE" or "NOTRUNNABLE" ? Outcome.Skipped
                        : Outcome.Skipped);
                }

                break;
            case "TESTNGXML":
                foreach (var test in all.Where(e => e.Name.LocalName == "test-method" && (string?)e.Attribute("is-config") != "true"))
                {
                    var status = (string?)test.Attribute("status");
                    yield return ((string?)test.Attribute("name") ?? "?",
                        status == "PASS" ? Outcome.Passed : status == "FAIL" ? Outcome.Failed : Outcome.Skipped);
                }

                break;
            case "VISUALSTUDIOTRX":
                foreach (var test in all.Where(e => e.Name.LocalName == "UnitTestResult"))
                {
                    var outcome = (string?)test.Attribute("outcome");
                    yield return ((string?)test.Attribute("testName") ?? "?",
                        outcome == "Passed" ? Outcome.Passed : outcome is "Failed" or "Error" or "Timeout" or "Aborted" ? Outcome.Failed : Outcome.Skipped);
                }

                break;
        }
    }

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
