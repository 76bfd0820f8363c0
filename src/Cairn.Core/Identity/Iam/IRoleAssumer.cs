namespace Cairn.Core.Identity.Iam;

/// <summary>
/// Lets Cairn's own services act as a role the way AWS services do: a build assumes its project's service role
/// as <c>codebuild.amazonaws.com</c>, and the role's trust policy must allow that service principal.
/// </summary>
public interface IRoleAssumer
{
    /// <summary>Throws AccessDenied (AWS's text) when the role is missing or its trust policy does not name the service.</summary>
    Task<TemporaryCredentials> AssumeRoleAsServiceAsync(
        string roleArn, string servicePrincipal, string sessionName, TimeSpan duration, CancellationToken cancellationToken);
}
