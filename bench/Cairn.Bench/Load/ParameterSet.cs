using System.Globalization;

namespace Cairn.Bench.Load;

/// <summary>The parameters the benchmark stores and reads, and the JSON bodies of its SSM calls.</summary>
internal static class ParameterSet
{
    public const int SecureCount = 100;
    public const int PathCount = 10;
    public const int PutPoolSize = 1000;
    public const string PathPrefix = "/bench/path";

    /// <summary>Spread over 100 folders so the store holds a realistic hierarchy.</summary>
    public static string StringName(long i) => string.Create(CultureInfo.InvariantCulture, $"/bench/p/{i % 100:D2}/param-{i}");

    public static string SecureName(long i) => string.Create(CultureInfo.InvariantCulture, $"/bench/secure/s-{i}");

    public static string PathName(long i) => string.Create(CultureInfo.InvariantCulture, $"{PathPrefix}/p-{i}");

    public static string PutName(long i) => string.Create(CultureInfo.InvariantCulture, $"/bench/put/w-{i}");

    public static string PutSecureName(long i) => string.Create(CultureInfo.InvariantCulture, $"/bench/put-secure/w-{i}");

    /// <summary>
    /// Tier Intelligent-Tiering for the bulk: a region holds at most 10,000 Standard parameters, so AWS (and Cairn) make
    /// the rest Advanced (up to 100,000), as they do for a user who stores that many.
    /// </summary>
    public const string BulkTier = "Intelligent-Tiering";

    public static string Put(string name, string value, string type, string? tier = null) => tier is null
        ? $$"""{"Name":"{{name}}","Value":"{{value}}","Type":"{{type}}","Overwrite":true}"""
        : $$"""{"Name":"{{name}}","Value":"{{value}}","Type":"{{type}}","Overwrite":true,"Tier":"{{tier}}"}""";

    public static string Get(string name, bool withDecryption) =>
        withDecryption ? $$"""{"Name":"{{name}}","WithDecryption":true}""" : $$"""{"Name":"{{name}}"}""";

    public static string ByPath() => $$"""{"Path":"{{PathPrefix}}","Recursive":false,"MaxResults":10}""";

    /// <summary>Visits indexes in a scattered order, so reads are not all served from the same few pages.</summary>
    public static long Scatter(long sequence, long count) => (long)((ulong)(sequence * 2654435761L) % (ulong)count);
}
