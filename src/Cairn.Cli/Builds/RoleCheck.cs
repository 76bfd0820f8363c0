using Cairn.Core.Identity.Iam;

namespace Cairn.Cli.Builds;

/// <summary>
/// Before `cairn build --role` assumes a role: a role that does not exist is named as such, with the role meant
/// (did-you-mean) or the create-role command, instead of advice about the trust policy of a role that is not there.
/// </summary>
internal static class RoleCheck
{
    private const string Version = "2010-05-08";

    /// <summary>Throws <see cref="BuildSetupException"/> when IAM says the role does not exist; any other answer lets assuming it tell.</summary>
    public static async Task EnsureExistsAsync(AwsApiClient caller, string roleArn, string awsCommand, CancellationToken cancellationToken)
    {
        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        try
        {
            await caller.QueryAsync("iam", [new("Action", "GetRole"), new("Version", Version), new("RoleName", roleName)], cancellationToken);
            return;
        }
        catch (AwsApiException error) when (error.Code == "NoSuchEntity")
        {
            // Below: the role is not there.
        }
        catch (Exception error) when (error is AwsApiException or HttpRequestException)
        {
            return;
        }

        IReadOnlyList<string> roles;
        try
        {
            var listed = await caller.QueryAsync("iam", [new("Action", "ListRoles"), new("Version", Version), new("MaxItems", "1000")], cancellationToken);
            roles = [.. listed.Descendants().Where(e => e.Name.LocalName == "RoleName").Select(e => e.Value)];
        }
        catch (Exception error) when (error is AwsApiException or HttpRequestException)
        {
            roles = [];
        }

        throw new BuildSetupException(RoleNames.Closest(roleName, roles) is { } meant
            ? $"role {roleName} does not exist; did you mean {meant}? Run: cairn build --role {meant} ... "
                + $"(or create {roleName} with: {RoleNames.CreateCodeBuildRoleCommand(awsCommand, roleName)})"
            : $"role {roleName} does not exist; create it with: {RoleNames.CreateCodeBuildRoleCommand(awsCommand, roleName)} "
                + $"and give it the permissions the build needs, e.g. {awsCommand} iam attach-role-policy --role-name {roleName} --policy-arn arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess");
    }
}
