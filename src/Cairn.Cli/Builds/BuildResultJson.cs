using System.Globalization;
using System.Text;
using System.Text.Json;
using Cairn.Core.Builds;
using Cairn.Runner.Builds;

namespace Cairn.Cli.Builds;

/// <summary>`cairn build --format json`: the build as CodeBuild's BatchGetBuilds shows it, plus local artifacts and report totals.</summary>
internal static class BuildResultJson
{
    public static string Write(BuildResult result)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("id", result.Id);
            json.WriteString("arn", result.Arn);
            json.WriteNumber("buildNumber", result.BuildNumber);
            json.WriteString("projectName", result.ProjectName);
            json.WriteString("initiator", result.Initiator);
            json.WriteString("buildStatus", result.Status);
            json.WriteBoolean("buildComplete", true);
            json.WriteString("currentPhase", BuildPhaseTypes.Completed);
            json.WriteString("startTime", Time(result.StartTime));
            json.WriteString("endTime", Time(result.EndTime));
            json.WriteStartArray("phases");
            foreach (var phase in result.Phases)
            {
                WritePhase(json, phase);
            }

            json.WriteEndArray();
            json.WriteStartArray("exportedEnvironmentVariables");
            foreach (var variable in result.ExportedVariables)
            {
                json.WriteStartObject();
                json.WriteString("name", variable.Name);
                json.WriteString("value", variable.Value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("artifacts");
            foreach (var artifact in result.Artifacts)
            {
                json.WriteStartObject();
                json.WriteString("name", artifact.Name);
                json.WriteString("location", artifact.Location);
                Strings(json, "files", artifact.Files);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("reports");
            foreach (var report in result.Reports)
            {
                json.WriteStartObject();
                json.WriteString("reportGroup", report.Group);
                json.WriteString("fileFormat", report.FileFormat);
                json.WriteNumber("total", report.Total);
                json.WriteNumber("passed", report.Passed);
                json.WriteNumber("failed", report.Failed);
                json.WriteNumber("skipped", report.Skipped);
                if (report.LineCoverage is { } coverage)
                {
                    json.WriteNumber("lineCoveragePercentage", coverage);
                }

                Strings(json, "files", report.Files);
                Strings(json, "failedTests", report.FailedTests);
                Strings(json, "problems", report.Problems);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WritePhase(Utf8JsonWriter json, BuildPhaseRecord phase)
    {
        json.WriteStartObject();
        json.WriteString("phaseType", phase.PhaseType);
        if (phase.PhaseStatus is { } status)
        {
            json.WriteString("phaseStatus", status);
        }

        json.WriteString("startTime", Time(phase.StartTime));
        if (phase.EndTime is { } end)
        {
            json.WriteString("endTime", Time(end));
            json.WriteNumber("durationInSeconds", phase.DurationInSeconds ?? 0);
            json.WriteNumber("durationInMilliseconds", Math.Round(phase.Duration.TotalMilliseconds, 1));
        }

        if (phase.Contexts is { Count: > 0 })
        {
            json.WriteStartArray("contexts");
            foreach (var context in phase.Contexts)
            {
                json.WriteStartObject();
                json.WriteString("statusCode", context.StatusCode);
                json.WriteString("message", context.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (phase.Hint is { } hint)
        {
            json.WriteString("hint", hint);
        }

        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
