namespace Cairn.Compat.Tests.Build;

/// <summary>`cairn build` with env.secrets-manager: read through the in-process server as the role, denied with a fix that works when pasted.</summary>
public sealed partial class BuildCommandTests
{
    [Fact]
    public async Task A_secrets_manager_variable_is_denied_with_a_working_fix_and_then_read_and_masked()
    {
        (await cairn.Aws("secretsmanager", "create-secret", "--name", "local/registry", "--secret-string", """{"password":"L0cal-Secr3t"}""")).Ok();
        await CreateCodeBuildRoleAsync("sm-local-build");
        _workspace.Write("buildspec.yml", "version: 0.2\nenv:\n  secrets-manager:\n    PASSWORD: local/registry:password\nphases:\n  build:\n    commands:\n      - echo \"got $PASSWORD\"\n");

        var denied = await _workspace.BuildAsync("--role", "sm-local-build");

        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("Secrets Manager Error Message: AccessDeniedException: User: arn:aws:sts::000000000000:assumed-role/sm-local-build/", denied.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"Action\": \"secretsmanager:GetSecretValue\"", denied.Stdout, StringComparison.Ordinal);
        await ApplyPrintedFixAsync(denied.Stdout);

        var allowed = await _workspace.BuildAsync("--role", "sm-local-build");

        Assert.True(allowed.ExitCode == 0, allowed.Stdout + allowed.Stderr);
        Assert.Contains("got ***\n", allowed.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("L0cal-Secr3t", allowed.Stdout, StringComparison.Ordinal);
    }
}
