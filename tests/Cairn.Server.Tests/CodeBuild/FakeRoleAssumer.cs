using Cairn.Application.Builds;
using Cairn.Application.Builds.Execution;
using Cairn.Core.Identity;

namespace Cairn.Server.Tests.CodeBuild;

/// <summary>Issues made-up role sessions, or refuses roles a test names, as STS would for a trust policy without CodeBuild.</summary>
internal sealed class FakeRoleAssumer : IBuildRoleAssumer
{
    public const string SessionToken = "FAKE-SESSION-TOKEN-0123456789";
    public const string SecretKey = "fake/secret/key/0123456789";

    public HashSet<string> Untrusted { get; } = [];

    public Task<BuildCredentials> AssumeAsync(string roleArn, string sessionName, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (Untrusted.Contains(roleArn))
        {
            throw new BuildRoleException($"CodeBuild is not authorized to perform: sts:AssumeRole on {roleArn}", "let codebuild.amazonaws.com assume the role");
        }

        var roleName = roleArn[(roleArn.LastIndexOf('/') + 1)..];
        var principal = new Principal(PrincipalKind.AssumedRole, "000000000000", $"arn:aws:sts::000000000000:assumed-role/{roleName}/{sessionName}",
            $"AROAFAKE:{sessionName}", roleName, sessionName);
        return Task.FromResult(new BuildCredentials("ASIAFAKEKEY0000001", SecretKey, SessionToken, DateTimeOffset.UtcNow.AddHours(1), principal));
    }
}
