namespace Cairn.Core.Buildspec;

internal sealed partial class BuildspecReader
{
    private static readonly string[] ProxyKeys = ["upload-artifacts", "logs"];
    private static readonly string[] ReportKeys = ["files", "base-directory", "discard-paths", "file-format"];
    private static readonly string[] ArtifactKeys = ["files", "name", "discard-paths", "base-directory", "exclude-paths", "enable-symlinks", "s3-prefix", "secondary-artifacts", "type"];
    private static readonly string[] SecondaryArtifactKeys = ["files", "name", "discard-paths", "base-directory", "exclude-paths", "enable-symlinks", "s3-prefix"];
    private static readonly string[] CacheKeys = ["key", "fallback-keys", "action", "paths"];

    private BuildspecProxy? ReadProxy(YamlTreeNode node, SourceLocation location)
    {
        if (AsMapping(node, "proxy") is not { } mapping)
        {
            return null;
        }

        var proxy = new BuildspecProxy(null, null, location);
        ForEachEntry(mapping, "proxy", ProxyKeys, (key, _, value) => proxy = key == "logs"
            ? proxy with { Logs = AsYesNo(value, "proxy.logs") }
            : proxy with { UploadArtifacts = AsYesNo(value, "proxy.upload-artifacts") });
        return proxy;
    }

    private List<BuildspecReportGroup> ReadReports(YamlTreeNode node)
    {
        var reports = new List<BuildspecReportGroup>();
        if (AsMapping(node, "reports") is not { } mapping)
        {
            return reports;
        }

        foreach (var (name, value) in mapping.Entries)
        {
            var path = $"reports.{name.Value}";
            var report = new BuildspecReportGroup { Name = name.Value, Location = name.Location };
            if (AsMapping(value, path) is { } groupMapping)
            {
                ForEachEntry(groupMapping, path, ReportKeys, (key, _, entry) => report = key switch
                {
                    "files" => report with { Files = Texts(AsStringList(entry, $"{path}.files")) },
                    "base-directory" => report with { BaseDirectory = AsString(entry, $"{path}.base-directory") },
                    "discard-paths" => report with { DiscardPaths = AsYesNo(entry, $"{path}.discard-paths") ?? false },
                    "file-format" => report with { FileFormat = ReadFileFormat(entry, $"{path}.file-format") },
                    _ => report,
                });
            }

            if (report.Files.Count == 0)
            {
                AddFinding(DiagnosticSeverity.Error, BuildspecDiagnosticCodes.MissingRequiredKey, $"{path} has no files", name.Location,
                    $"add the report files under it, e.g. 'files:' then '- \"**/*.xml\"', with base-directory: set to where they are written.");
            }

            reports.Add(report);
        }

        return reports;
    }

    private string? ReadFileFormat(YamlTreeNode node, string path)
    {
        if (AsString(node, path) is not { } text)
        {
            return null;
        }

        var format = text.ToUpperInvariant();
        if (!BuildspecReportGroup.TestFormats.Contains(format) && !BuildspecReportGroup.CoverageFormats.Contains(format))
        {
            var known = BuildspecReportGroup.TestFormats.Concat(BuildspecReportGroup.CoverageFormats).ToList();
            var suggestion = DidYouMean.Suggest(format, known);
            AddFinding(DiagnosticSeverity.Warning, BuildspecDiagnosticCodes.InvalidValue, $"{path} '{text}' is not a report format", node.Location,
                suggestion is null ? $"use one of {string.Join(", ", known)}." : $"did you mean '{suggestion}'?");
        }

        return format;
    }

    private BuildspecArtifacts? ReadArtifacts(YamlTreeNode node, string path, string? identifier, SourceLocation location)
    {
        if (AsMapping(node, path) is not { } mapping)
        {
            return null;
        }

        var artifacts = new BuildspecArtifacts { Identifier = identifier, Location = location };
        ForEachEntry(mapping, path, identifier is null ? ArtifactKeys : SecondaryArtifactKeys, (key, keyNode, value) =>
        {
            var keyPath = $"{path}.{key}";
            artifacts = key switch
            {
                "files" => artifacts with { Files = Texts(AsStringList(value, keyPath)) },
                "name" => artifacts with { Name = AsString(value, keyPath) },
                "discard-paths" => artifacts with { DiscardPaths = AsYesNo(value, keyPath) ?? false },
                "base-directory" => artifacts with { BaseDirectory = AsString(value, keyPath) },
                "exclude-paths" => artifacts with { ExcludePaths = Texts(AsStringList(value, keyPath)) },
                "enable-symlinks" => artifacts with { EnableSymlinks = AsYesNo(value, keyPath) ?? false },
                "s3-prefix" => artifacts with { S3Prefix = AsString(value, keyPath) },
                "secondary-artifacts" => artifacts with { SecondaryArtifacts = ReadSecondaryArtifacts(value, keyPath) },
                _ => Deprecated(artifacts, keyNode),
            };
        });

        if (artifacts.Files.Count == 0 && artifacts.SecondaryArtifacts.Count == 0)
        {
            AddFinding(DiagnosticSeverity.Error, BuildspecDiagnosticCodes.MissingRequiredKey, $"{path} has no files", location,
                "list what to upload under 'files:', e.g. '- \"**/*\"' for everything in base-directory.");
        }

        return artifacts;
    }

    private BuildspecArtifacts Deprecated(BuildspecArtifacts artifacts, YamlTreeScalar key)
    {
        AddFinding(DiagnosticSeverity.Warning, BuildspecDiagnosticCodes.DeprecatedKey, "artifacts.type is deprecated: CodeBuild ignores it", key.Location,
            "remove it; the artifact type is set on the build project.");
        return artifacts;
    }

    private List<BuildspecArtifacts> ReadSecondaryArtifacts(YamlTreeNode node, string path)
    {
        var secondary = new List<BuildspecArtifacts>();
        if (AsMapping(node, path) is not { } mapping)
        {
            return secondary;
        }

        foreach (var (id, value) in mapping.Entries)
        {
            if (ReadArtifacts(value, $"{path}.{id.Value}", id.Value, id.Location) is { } artifact)
            {
                secondary.Add(artifact);
            }
        }

        return secondary;
    }

    private BuildspecCache? ReadCache(YamlTreeNode node, SourceLocation location)
    {
        if (AsMapping(node, "cache") is not { } mapping)
        {
            return null;
        }

        var cache = new BuildspecCache { Location = location };
        ForEachEntry(mapping, "cache", CacheKeys, (key, _, value) => cache = key switch
        {
            "key" => cache with { Key = AsString(value, "cache.key") },
            "fallback-keys" => cache with { FallbackKeys = ReadFallbackKeys(value) },
            "action" => cache with { Action = ReadCacheAction(value) },
            "paths" => cache with { Paths = Texts(AsStringList(value, "cache.paths")) },
            _ => cache,
        });
        if (cache.Paths.Count == 0)
        {
            AddFinding(DiagnosticSeverity.Error, BuildspecDiagnosticCodes.MissingRequiredKey, "cache has no paths", location,
                "list the directories to cache under 'paths:', e.g. '- \"/root/.cache/pip/**/*\"'.");
        }

        return cache;
    }

    private IReadOnlyList<string> ReadFallbackKeys(YamlTreeNode node)
    {
        var keys = AsStringList(node, "cache.fallback-keys");
        if (keys.Count > 5)
        {
            AddFinding(DiagnosticSeverity.Warning, BuildspecDiagnosticCodes.InvalidValue, $"cache.fallback-keys has {keys.Count} keys; CodeBuild uses at most 5", keys[5].Location,
                "keep the five most specific prefixes.");
        }

        return Texts(keys);
    }

    private string? ReadCacheAction(YamlTreeNode node)
    {
        var action = AsString(node, "cache.action");
        if (action is not null and not "restore" and not "save")
        {
            AddFinding(DiagnosticSeverity.Warning, BuildspecDiagnosticCodes.InvalidValue, $"cache.action '{action}' is neither restore nor save", node.Location,
                "write 'action: restore' or 'action: save', or leave it out to do both.");
        }

        return action;
    }
}
