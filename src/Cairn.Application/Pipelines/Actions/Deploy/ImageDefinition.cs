using System.Text;
using System.Text.Json;
using Cairn.Core.Errors;

namespace Cairn.Application.Pipelines.Actions.Deploy;

/// <summary>
/// An ECS standard deploy's imagedefinitions.json: a JSON array of <c>{"name": container, "imageUri": image}</c>, UTF-8,
/// at most 100 KB (AWS's file reference). A swarm service has one container, so a single entry is used whatever its
/// name; with several, the one named like the service's container.
/// </summary>
public sealed record ImageDefinition(string Name, string ImageUri)
{
    public const string DefaultFileName = "imagedefinitions.json";

    public const int MaxBytes = 100 * 1024;

    /// <summary>Reads <paramref name="fileName"/> (a path inside the extracted artifact at <paramref name="root"/>).</summary>
    public static async Task<IReadOnlyList<ImageDefinition>> ReadAsync(string root, string fileName, string artifactName, CancellationToken cancellationToken)
    {
        var path = DeployActionParts.FileIn(root, fileName) ?? throw AwsErrors.ImageDefinitionsNotFound(fileName, artifactName, DeployActionParts.Listing(root));

        var size = new FileInfo(path).Length;
        if (size > MaxBytes)
        {
            throw AwsErrors.ImageDefinitionsTooLarge(fileName, size);
        }

        return Parse(fileName, await File.ReadAllBytesAsync(path, cancellationToken));
    }

    /// <summary>The entries, or ImageDefinitionsInvalidJson naming what is wrong and where.</summary>
    public static IReadOnlyList<ImageDefinition> Parse(string fileName, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw AwsErrors.ImageDefinitionsInvalidJson(fileName, "it is not UTF-8 text");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException error)
        {
            throw AwsErrors.ImageDefinitionsInvalidJson(fileName, $"{error.Message.Split(" Path:")[0].TrimEnd('.')} (line {error.LineNumber + 1})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                throw AwsErrors.ImageDefinitionsInvalidJson(fileName, root.ValueKind == JsonValueKind.Object
                    ? "it is a single object, not an array; wrap it in [ ]"
                    : $"it is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an array");
            }

            var entries = new List<ImageDefinition>();
            var index = 0;
            foreach (var entry in root.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    throw AwsErrors.ImageDefinitionsInvalidJson(fileName, $"entry {index} is not an object");
                }

                entries.Add(new ImageDefinition(Member(entry, "name", index), Member(entry, "imageUri", index)));
                index++;
            }

            if (entries.Count == 0)
            {
                throw AwsErrors.ImageDefinitionsInvalidJson(fileName, "the array is empty");
            }

            return entries;
        }

        string Member(JsonElement entry, string name, int index)
        {
            if (!entry.TryGetProperty(name, out var value))
            {
                var other = entry.EnumerateObject().FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                throw AwsErrors.ImageDefinitionsInvalidJson(fileName, other.Value.ValueKind != JsonValueKind.Undefined
                    ? $"entry {index} has \"{other.Name}\"; the key is \"{name}\" (the case matters)"
                    : $"entry {index} has no \"{name}\"");
            }

            if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            {
                throw AwsErrors.ImageDefinitionsInvalidJson(fileName, $"entry {index}'s \"{name}\" must be a non-empty string");
            }

            return value.GetString()!.Trim();
        }
    }

    /// <summary>The single entry, or the one named <paramref name="containerName"/> when there are several.</summary>
    public static ImageDefinition Match(IReadOnlyList<ImageDefinition> entries, string fileName, string serviceName, string containerName)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 1)
        {
            return entries[0];
        }

        return entries.FirstOrDefault(e => e.Name == containerName)
            ?? entries.FirstOrDefault(e => e.Name == serviceName)
            ?? throw AwsErrors.ImageDefinitionsNoMatch(fileName, serviceName, containerName, entries.Select(e => e.Name).ToList());
    }
}
