using Cairn.Core.Builds;
using Cairn.Core.Errors;
using Cairn.Core.Identity;

namespace Cairn.Application.Builds;

/// <summary>How builds and projects are named: "project:uuid" ids (or build ARNs), project names (or ARNs), initiators.</summary>
public static class BuildIds
{
    /// <summary>Splits "project:uuid" (or a build ARN) into its parts; InvalidInputException when it is neither.</summary>
    public static (string Project, string Uuid) Parse(BuildScope scope, string idOrArn)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(idOrArn);
        var prefix = scope.BuildArn(string.Empty);
        var id = idOrArn.StartsWith(prefix, StringComparison.Ordinal) ? idOrArn[prefix.Length..] : idOrArn;
        var colon = id.LastIndexOf(':');
        if (colon <= 0 || colon == id.Length - 1)
        {
            throw AwsErrors.InvalidBuildId(idOrArn);
        }

        return (id[..colon], id[(colon + 1)..]);
    }

    /// <summary>A project is named by its name or, in batch reads, its ARN.</summary>
    public static string ProjectName(BuildScope scope, string nameOrArn)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(nameOrArn);
        var prefix = scope.ProjectArn(string.Empty);
        return nameOrArn.StartsWith(prefix, StringComparison.Ordinal) ? nameOrArn[prefix.Length..] : nameOrArn;
    }

    /// <summary>CODEBUILD_INITIATOR: the user's name, role/session for an assumed role, "root" for the account.</summary>
    public static string InitiatorOf(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return principal.Kind switch
        {
            PrincipalKind.User => principal.Name ?? principal.Arn,
            PrincipalKind.AssumedRole => $"{principal.Name}/{principal.SessionName}",
            PrincipalKind.Root => "root",
            _ => principal.Arn,
        };
    }
}
