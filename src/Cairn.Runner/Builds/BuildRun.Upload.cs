using Cairn.Core.Builds;
using Cairn.Core.Buildspec;
using Cairn.Runner.Artifacts;
using Cairn.Runner.Cache;
using Cairn.Runner.Phases;
using Cairn.Runner.Reports;

namespace Cairn.Runner.Builds;

internal sealed partial class BuildRun
{
    /// <summary>
    /// UPLOAD_ARTIFACTS: the primary and secondary artifacts (a missing match fails the phase, as on AWS), the report
    /// groups' summaries, and the cache (saved only when the commands succeeded, so a broken state is not cached).
    /// </summary>
    private void UploadArtifacts()
    {
        var document = _document!;
        _sink.StartPhase(BuildPhaseTypes.UploadArtifacts, "Entering phase UPLOAD_ARTIFACTS");
        if (_podFailure is { } failure)
        {
            Finish(BuildStatuses.Failed, "CLIENT_ERROR", failure.Message, failure.Hint);
            return;
        }

        try
        {
            if (document.Artifacts is { } artifacts && _request.ArtifactsDirectory is { } output)
            {
                foreach (var artifact in artifacts.SecondaryArtifacts.Prepend(artifacts).Where(a => a.Files.Count > 0))
                {
                    Package(artifact, output);
                }
            }

            foreach (var group in document.Reports)
            {
                Summarize(group);
            }

            if (!_failed)
            {
                SaveCache(document);
            }
        }
        catch (ArtifactException error)
        {
            Finish(BuildStatuses.Failed, "CLIENT_ERROR", error.Message);
            return;
        }

        Finish(BuildStatuses.Succeeded);
    }

    private void Package(BuildspecArtifacts artifact, string output)
    {
        var spec = new ArtifactSpec(artifact.Files, artifact.BaseDirectory, artifact.DiscardPaths, artifact.ExcludePaths, artifact.Name, artifact.Identifier);
        _sink.Say($"Expanding base directory path: {artifact.BaseDirectory ?? "."}");
        _sink.Say($"Assembling file list{(artifact.Identifier is { } id ? $" for secondary artifact {id}" : "")}");
        var result = ArtifactPackager.Package(OutputDirectory, spec, output, _request.ArtifactPackaging);
        _sink.Say($"Found {result.Files.Count} file(s)");
        _sink.Say($"Artifact {result.Name} written to {result.Location}");
        _artifacts.Add(result);
        _sink.ArtifactUploaded(result.Name, result.Location, result.Files.Count);
    }

    private void Summarize(BuildspecReportGroup group)
    {
        var summary = ReportSummarizer.Summarize(OutputDirectory, new ReportSpec(group.Name, group.Files, group.BaseDirectory, group.EffectiveFileFormat));
        _reports.Add(summary);
        _sink.Say(summary.IsCoverage
            ? $"Report group {group.Name}: line coverage {summary.LineCoverage:0.##}% ({summary.Files.Count} file(s))"
            : $"Report group {group.Name}: {summary.Total} tests, {summary.Passed} passed, {summary.Failed} failed, {summary.Skipped} skipped ({summary.Files.Count} file(s))");
        foreach (var problem in summary.Problems)
        {
            _sink.Say($"[WARN] Report group {group.Name}: {problem}");
        }
    }

    private void SaveCache(BuildspecDocument document)
    {
        if (document.Cache is not { Saves: true } cache || _request.CacheDirectory is null || ToCacheSpec(cache) is not { Paths.Count: > 0 } spec)
        {
            return;
        }

        try
        {
            var count = new LocalBuildCache(_request.CacheDirectory).Save(spec, OutputDirectory);
            _sink.Say($"Saved {count} file(s) to the cache");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArtifactException)
        {
            _sink.Say($"[WARN] Could not save the cache: {error.Message}");
        }
    }
}
