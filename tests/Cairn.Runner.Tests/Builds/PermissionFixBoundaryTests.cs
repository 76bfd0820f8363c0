using Cairn.Runner.Builds;

namespace Cairn.Runner.Tests.Builds;

/// <summary>A denial by a permissions boundary gets a fix that names the boundary, never an identity policy that cannot help.</summary>
public sealed class PermissionFixBoundaryTests
{
    private const string Parameter = "arn:aws:ssm:us-east-1:000000000000:parameter/app/db";

    [Fact]
    public void A_boundary_denial_points_at_the_boundary_not_at_put_role_policy()
    {
        var denial = AccessDenial.Parse(
            $"User: arn:aws:sts::000000000000:assumed-role/builder/b1 is not authorized to perform: ssm:GetParameters on resource: {Parameter} because no permissions boundary allows the ssm:GetParameters action");

        var fix = PermissionFix.Describe(denial, [Parameter], [], "cairn-build-app");

        Assert.True(PermissionFix.IsBoundaryDenial(denial));
        Assert.StartsWith("The role builder may not ssm:GetParameters on " + Parameter + ": its permissions boundary does not allow it.", fix, StringComparison.Ordinal);
        Assert.Contains("aws iam get-role --role-name builder --query Role.PermissionsBoundary", fix, StringComparison.Ordinal);
        Assert.DoesNotContain("put-role-policy", fix, StringComparison.Ordinal);
    }

    [Fact]
    public void An_identity_policy_denial_still_gets_the_statement_to_add()
    {
        var denial = AccessDenial.Parse(
            $"User: arn:aws:sts::000000000000:assumed-role/builder/b1 is not authorized to perform: ssm:GetParameters on resource: {Parameter} because no identity-based policy allows the ssm:GetParameters action");

        Assert.False(PermissionFix.IsBoundaryDenial(denial));
        Assert.Contains("put-role-policy", PermissionFix.Describe(denial, [Parameter], [], "cairn-build-app"), StringComparison.Ordinal);
    }
}
