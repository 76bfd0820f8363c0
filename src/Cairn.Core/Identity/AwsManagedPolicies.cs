using Cairn.Core.Identity.Iam;

namespace Cairn.Core.Identity;

/// <summary>
/// The AWS managed policies Cairn knows, with AWS's documents (the named version, statement for statement).
/// They live under arn:aws:iam::aws:policy/ and cannot be changed or deleted.
/// </summary>
public static class AwsManagedPolicies
{
    private static readonly (string Name, string Version, string Created)[] Catalog =
    [
        ("AdministratorAccess", "v1", "2015-02-06T18:39:46Z"),
        ("ReadOnlyAccess", "v87", "2022-05-23T20:16:18Z"),
        ("AmazonSSMReadOnlyAccess", "v1", "2015-05-29T17:44:19Z"),
        ("AmazonSSMFullAccess", "v4", "2019-11-20T20:08:56Z"),
        ("AWSCodeBuildAdminAccess", "v14", "2024-05-02T01:45:44Z"),
        ("AWSCodeBuildDeveloperAccess", "v15", "2024-05-02T01:36:55Z"),
    ];

    private static readonly Lazy<Dictionary<string, (ManagedPolicyInfo Policy, PolicyVersionInfo Version)>> Loaded = new(Load);

    public const string ArnPrefix = "arn:aws:iam::aws:policy/";

    public static IEnumerable<ManagedPolicyInfo> All => Loaded.Value.Values.Select(v => v.Policy);

    public static bool IsAwsManagedArn(string arn) => arn.StartsWith(ArnPrefix, StringComparison.Ordinal);

    public static ManagedPolicyInfo? Find(string arn) => Loaded.Value.TryGetValue(arn, out var found) ? found.Policy : null;

    /// <summary>The default (and only) version Cairn carries of an AWS managed policy.</summary>
    public static PolicyVersionInfo? FindVersion(string arn, string? versionId = null) =>
        Loaded.Value.TryGetValue(arn, out var found) && (versionId is null || versionId == found.Version.VersionId) ? found.Version : null;

    private static Dictionary<string, (ManagedPolicyInfo, PolicyVersionInfo)> Load()
    {
        var assembly = typeof(AwsManagedPolicies).Assembly;
        var result = new Dictionary<string, (ManagedPolicyInfo, PolicyVersionInfo)>(StringComparer.Ordinal);
        foreach (var (name, version, created) in Catalog)
        {
            using var stream = assembly.GetManifestResourceStream($"Cairn.Core.Identity.AwsManaged.{name}.json")
                ?? throw new InvalidOperationException($"The AWS managed policy {name} is missing from Cairn.Core's resources.");
            using var reader = new StreamReader(stream);
            var document = reader.ReadToEnd();
            var arn = ArnPrefix + name;
            var date = DateTimeOffset.Parse(created, System.Globalization.CultureInfo.InvariantCulture);
            result[arn] = (
                new ManagedPolicyInfo(arn, "aws", name, StableId(name), "/", version, null, date, date),
                new PolicyVersionInfo(arn, version, document, true, date));
        }

        return result;
    }

    /// <summary>A policy id shaped like AWS's (ANPA + 17 characters), the same on every Cairn.</summary>
    private static string StableId(string name)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        return "ANPA" + new string(hash.Take(17).Select(b => Alphabet[b % Alphabet.Length]).ToArray());
    }
}
