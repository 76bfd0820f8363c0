using Cairn.Core.Buildspec;

namespace Cairn.Core.Identity.Iam;

/// <summary>Did-you-mean for role names, and the commands that create a CodeBuild service role.</summary>
public static class RoleNames
{
    /// <summary>The trust policy that lets CodeBuild assume a role.</summary>
    public const string CodeBuildTrustPolicy =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    /// <summary>
    /// The existing role <paramref name="name"/> was most likely meant to be: the same but for case, '-' and '_'
    /// (codebuild_service_role, CodeBuildServiceRole for codebuild-service-role), else within a few edits; null when none is close.
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> existing)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(existing);
        var wanted = Normalize(name);
        var allowed = Math.Max(1, wanted.Length / 4);
        return existing
            .Where(candidate => candidate != name)
            .Select(candidate => (Candidate: candidate, Distance: DidYouMean.Distance(wanted, Normalize(candidate))))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    /// <summary>The create-role command for a CodeBuild service role, spelled with <paramref name="aws"/> (e.g. "aws --endpoint-url ...").</summary>
    public static string CreateCodeBuildRoleCommand(string aws, string roleName) =>
        $"{aws} iam create-role --role-name {roleName} --assume-role-policy-document '{CodeBuildTrustPolicy}'";

    /// <summary>The command that lets CodeBuild assume an existing role, spelled with <paramref name="aws"/>.</summary>
    public static string TrustCodeBuildCommand(string aws, string roleName) =>
        $"{aws} iam update-assume-role-policy --role-name {roleName} --policy-document '{CodeBuildTrustPolicy}'";

    private static string Normalize(string name) => name.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
}
