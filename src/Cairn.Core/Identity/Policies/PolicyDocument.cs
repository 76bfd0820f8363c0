namespace Cairn.Core.Identity.Policies;

/// <summary>
/// A parsed, validated and compiled IAM policy document. Parse once (when stored or loaded), evaluate many times.
/// </summary>
public sealed class PolicyDocument
{
    public const string CurrentVersion = "2012-10-17";
    public const string LegacyVersion = "2008-10-17";

    internal PolicyDocument(string text, string? version, string? id, IReadOnlyList<PolicyStatement> statements)
    {
        Text = text;
        Version = version;
        Id = id;
        Statements = statements;
    }

    /// <summary>The JSON as the caller sent it (AWS returns documents as submitted).</summary>
    public string Text { get; }

    /// <summary>The Version element; null when omitted (which IAM treats as 2008-10-17).</summary>
    public string? Version { get; }

    public string? Id { get; }

    public IReadOnlyList<PolicyStatement> Statements { get; }

    /// <summary>Policy variables are only substituted in 2012-10-17 documents.</summary>
    public bool SupportsVariables => Version == CurrentVersion;

    /// <summary>Parses and validates; throws MalformedPolicyDocument with IAM's reason when the document is not valid for <paramref name="kind"/>.</summary>
    public static PolicyDocument Parse(string json, PolicyKind kind = PolicyKind.Inline) => PolicyParser.Parse(json, kind);
}
