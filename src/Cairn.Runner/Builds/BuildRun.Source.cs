using Cairn.Core.Builds;
using Cairn.Core.Buildspec;
using Cairn.Runner.Cache;
using Cairn.Runner.Phases;
using Cairn.Runner.Shell;

namespace Cairn.Runner.Builds;

internal sealed partial class BuildRun
{
    public const string YamlFileError = "YAML_FILE_ERROR";
    public const string SecretsManagerError = "Secrets Manager Error";

    /// <summary>
    /// DOWNLOAD_SOURCE: checks the source and the buildspec, assembles the variables and reads the Parameter Store values
    /// (adding them to the masker before any command runs), then restores the cache. False when the phase failed.
    /// </summary>
    private async Task<bool> DownloadSourceAsync(DateTimeOffset start)
    {
        _sink.StartPhase(BuildPhaseTypes.DownloadSource, "Phase is DOWNLOAD_SOURCE");
        _sink.Say($"CODEBUILD_SRC_DIR={SourceDirectory}");
        if (_request.BuildspecPath is { } path)
        {
            _sink.Say($"YAML location is {Path.GetFullPath(path)}");
        }

        if (!Directory.Exists(SourceDirectory))
        {
            Finish(BuildStatuses.Failed, "CLIENT_ERROR", $"source directory {SourceDirectory} does not exist");
            return false;
        }

        if (_request.Buildspec.Document is not { } document)
        {
            var error = _request.Buildspec.Errors.Count > 0 ? _request.Buildspec.Errors[0] : null;
            Finish(BuildStatuses.Failed, error?.AwsStatusCode ?? YamlFileError, error?.Message ?? "invalid buildspec",
                error?.Hint is { } hint ? $"line {error.Location.Line}, column {error.Location.Column}: {hint}" : null);
            return false;
        }

        _document = document;
        var shell = document.Env.Shell ?? "sh";
        try
        {
            ShellLocator.Resolve(shell);
        }
        catch (FileNotFoundException missing)
        {
            Finish(BuildStatuses.Failed, YamlFileError, missing.Message, "set env.shell to bash or /bin/sh, or leave it out for sh.");
            return false;
        }

        WriteLintFindings(document);
        _sink.Say("Processing environment variables");
        var environment = BuildEnvironment.Create(_request, document, start);
        _environment = environment;
        foreach (var warning in environment.Warnings.Concat(HostWarnings(document)))
        {
            _sink.Say($"[WARN] {warning}");
        }

        if (environment.SecretsManager.Count > 0)
        {
            Finish(BuildStatuses.Failed, SecretsManagerError,
                $"Cairn does not resolve {{{{resolve:secretsmanager:...}}}} references yet: {string.Join(", ", environment.SecretsManager)}",
                "read the secret with env.secrets-manager (NAME: secret-id:json-key) and use $NAME instead.");
            return false;
        }

        if (!await ResolveSecretsManagerAsync(environment))
        {
            return false;
        }

        if (environment.Selectors.Count > 0)
        {
            _sink.Say("Decrypting parameter store environment variables");
            SecretResolution resolution;
            try
            {
                resolution = await SecretResolver.ResolveAsync(_request, environment.Selectors, _cancellation.Token);
            }
            catch (OperationCanceledException) when (_cancellation.Token.IsCancellationRequested)
            {
                var (status, code, message) = Interruption();
                _interrupted = true;
                Finish(status, code, message);
                return false;
            }
            catch (Exception error) when (error is HttpRequestException or IOException or InvalidOperationException or TimeoutException)
            {
                Finish(BuildStatuses.Failed, SecretResolver.DecryptedVariablesError, error.Message);
                return false;
            }

            if (resolution.Failure is { } failure)
            {
                Finish(BuildStatuses.Failed, failure.StatusCode, failure.Message, resolution.Hint);
                return false;
            }

            var warnings = environment.Warnings.Count;
            _sink.Masker.AddSecrets(environment.Resolve(resolution.Values, _request.UnmaskStringParameters || environment.UnmasksStringParameters));
            foreach (var warning in environment.Warnings.Skip(warnings))
            {
                _sink.Say($"[WARN] {warning}");
            }

            WriteMaskingNotice(environment);
        }

        RestoreCache(document);
        _sink.Say($"Phases found in YAML: {document.Phases.Count}");
        foreach (var phase in document.Phases)
        {
            _sink.Say($" {phase.PhaseType}: {phase.Commands.Count} commands");
        }

        Finish(BuildStatuses.Succeeded);
        return true;
    }

    /// <summary>What the buildspec asks for that a run on this host does not do.</summary>
    private static IEnumerable<string> HostWarnings(BuildspecDocument document)
    {
        var runtimes = document.Phases.SelectMany(p => p.RuntimeVersions).ToList();
        if (runtimes.Count > 0)
        {
            yield return $"Skipping install of runtimes ({string.Join(", ", runtimes.Select(r => $"{r.Key} {r.Value}"))}): " +
                "runtime-versions is ignored on the host; the build uses the tools installed here.";
        }

        var user = Environment.UserName;
        var others = document.Phases.Select(document.RunAsFor).Append(document.RunAs)
            .Where(u => u is not null && u != user).Distinct(StringComparer.Ordinal).ToList();
        if (others.Count > 0)
        {
            yield return $"run-as {string.Join(", ", others)} is ignored on the host: commands run as {user}.";
        }
    }

    private void RestoreCache(BuildspecDocument document)
    {
        if (document.Cache is not { Restores: true } cache || _request.CacheDirectory is null || cache.Paths.Count == 0)
        {
            return;
        }

        var pod = _request.Placement is PodPlacement;
        foreach (var outside in pod ? cache.Paths.Where(Path.IsPathRooted) : [])
        {
            _sink.Say($"[WARN] cache path {outside} is not cached: a Kubernetes build caches only paths under CODEBUILD_SRC_DIR (the pod's other directories are gone when it ends)");
        }

        try
        {
            var restored = new LocalBuildCache(_request.CacheDirectory).Restore(ToCacheSpec(cache), SourceDirectory, absolutePaths: !pod);
            _sink.Say(restored is null ? "No cache entry to restore" : $"Restored cache {restored}");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException or Artifacts.ArtifactException)
        {
            _sink.Say($"[WARN] Could not restore the cache: {error.Message}");
        }
    }

    /// <summary>The cache as <see cref="LocalBuildCache"/> takes it; a pod's absolute paths are left out (they are the pod's, not this host's).</summary>
    private CacheSpec ToCacheSpec(BuildspecCache cache) =>
        new(_request.Placement is PodPlacement ? cache.Paths.Where(p => !Path.IsPathRooted(p)).ToList() : cache.Paths, cache.Key, cache.FallbackKeys, cache.Action);
}
