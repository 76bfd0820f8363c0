namespace Cairn.Core.Buildspec;

/// <summary>
/// An env.secrets-manager entry, <c>secret-id:json-key:version-stage:version-id</c>. The secret id may be an ARN
/// (which has colons of its own); an empty or missing json-key means the whole secret string.
/// </summary>
public sealed record SecretsManagerVariable(string Name, string Reference, SourceLocation Location)
{
    public string SecretId => Parts[0];

    public string? JsonKey => Part(1);

    /// <summary>Null means AWSCURRENT unless a version id is given.</summary>
    public string? VersionStage => Part(2);

    public string? VersionId => Part(3);

    private string[] Parts => Split(Reference);

    private string? Part(int index) => Parts.Length > index && Parts[index].Length > 0 ? Parts[index] : null;

    private static string[] Split(string reference)
    {
        var pieces = reference.Split(':');
        if (!reference.StartsWith("arn:", StringComparison.Ordinal) || pieces.Length < 7)
        {
            return pieces;
        }

        // arn:partition:secretsmanager:region:account:secret:name is one id.
        return [string.Join(':', pieces[..7]), .. pieces[7..]];
    }
}
