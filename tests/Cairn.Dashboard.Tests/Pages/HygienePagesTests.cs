using System.Net;
using AngleSharp.Html.Dom;
using Cairn.Core.Audit;
using Cairn.Core.Identity.Iam;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Tests.Infrastructure;
using Cairn.Storage.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Dashboard.Tests.Pages;

/// <summary>
/// The secrets report page and the least-privilege tab of a role or user: the application services `cairn secrets report`
/// and `cairn iam suggest-policy` call, as the signed-in principal, with the API's authorization.
/// </summary>
public sealed class HygienePagesTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private const string Account = DashboardServer.Account;
    private const string GitHubToken = "ghp_0123456789abcdefghijABCDEFGHIJ0123456789";
    private const string CodeBuildTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static string Text(IHtmlDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim() ?? "";

    private static List<string> Texts(IHtmlDocument page, string selector) => page.QuerySelectorAll(selector).Select(e => e.TextContent.Trim()).ToList();

    /// <summary>Allowed calls of a principal, written to the trail as the server's audit decorator writes them.</summary>
    private async Task AuditAsync(string principalArn, params (string Action, string Resource)[] calls)
    {
        var log = server.Server.Services.GetRequiredService<IAuditLog>();
        log.Append(calls.Select((c, i) => new AuditEntry(
            DateTimeOffset.UtcNow.AddMinutes(-10 + i), $"req-{Guid.NewGuid():N}", principalArn, "ASIAHYGIENETEST", DashboardServer.Region,
            c.Action, c.Action, c.Resource, "Allow", null, "10.1.2.3")));
        await log.FlushAsync(default);
    }

    [Fact]
    public async Task Root_sees_the_report_grouped_by_severity_with_evidence_and_the_fix_command_and_never_a_value()
    {
        var token = Unique("ci_github_token");
        var shared = (Unique("team_a_Db_password"), Unique("team_b_Db_password"));
        await server.AwsAsync("ssm", "put-parameter", "--name", token, "--type", "String", "--value", GitHubToken);
        await server.AwsAsync("ssm", "put-parameter", "--name", shared.Item1, "--type", "SecureString", "--value", "S3cr3t-shared-between-two");
        await server.AwsAsync("ssm", "put-parameter", "--name", shared.Item2, "--type", "SecureString", "--value", "S3cr3t-shared-between-two");
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.SecretsReport);
        var (_, parameters) = await client.PageAsync(DashboardRoutes.Parameters);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(parameters.QuerySelector($"a[href='{DashboardRoutes.SecretsReport}']"));
        Assert.Equal(["Errors", "Warnings", "Notes"], Texts(page, "section.severity h2").Select(h => h.Split(' ')[0]));
        var plaintext = page.QuerySelectorAll("section.severity.error article.finding[data-rule=plaintext-secret]")
            .Single(a => a.QuerySelector(".subject")!.TextContent == token);
        Assert.Contains("GitHub token", plaintext.QuerySelector(".evidence")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith($"aws ssm put-parameter --name {token} --type SecureString --overwrite", plaintext.QuerySelector("pre.fix")!.TextContent, StringComparison.Ordinal);
        var duplicate = page.QuerySelectorAll("section.severity.warning article.finding[data-rule=duplicate-secret]")
            .Single(a => a.QuerySelector(".message")!.TextContent.Contains(shared.Item1, StringComparison.Ordinal));
        Assert.Contains(shared.Item2, duplicate.QuerySelector(".message")!.TextContent, StringComparison.Ordinal);
        var html = page.DocumentElement.OuterHtml;
        Assert.DoesNotContain(GitHubToken, html, StringComparison.Ordinal);
        Assert.DoesNotContain("S3cr3t-shared-between-two", html, StringComparison.Ordinal);

        var (_, filtered) = await client.PageAsync(DashboardRoutes.SecretsReportOf("duplicate-secret"));
        Assert.NotEmpty(filtered.QuerySelectorAll("article.finding"));
        Assert.All(filtered.QuerySelectorAll("article.finding"), a => Assert.Equal("duplicate-secret", a.GetAttribute("data-rule")));
        Assert.Equal("duplicate-secret", filtered.QuerySelector("select[name=kind] option[selected]")!.TextContent);
    }

    [Fact]
    public async Task A_user_without_the_audit_read_sees_AccessDenied_and_the_statement_not_the_report()
    {
        var user = await server.UserAsync(Unique("describer"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:DescribeParameters","Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);

        var page = await ProblemAssert.DeniedAsync(client, DashboardRoutes.SecretsReport, user.Arn, "cloudtrail:LookupEvents", "*");
        Assert.Empty(page.QuerySelectorAll("article.finding"));
    }

    [Fact]
    public Task An_unknown_finding_kind_is_a_400_naming_the_kinds() =>
        ProblemAssert.BadRequestAsync(server, $"{DashboardRoutes.SecretsReport}?kind=nope", "ValidationException", "Unknown finding kind 'nope': use one of plaintext-secret, naming-rule");

    [Fact]
    public async Task A_roles_least_privilege_tab_shows_the_suggestion_what_was_granted_and_used_the_commands_and_the_dry_run()
    {
        var role = Unique("codebuild_role");
        await server.AwsAsync("iam", "create-role", "--role-name", role, "--assume-role-policy-document", CodeBuildTrust);
        await server.AwsAsync("iam", "attach-role-policy", "--role-name", role, "--policy-arn", "arn:aws:iam::aws:policy/AmazonSSMFullAccess");
        var parameter = $"arn:aws:ssm:us-east-1:{Account}:parameter/{role}/db_password";
        await AuditAsync($"arn:aws:sts::{Account}:assumed-role/{role}/build-1", ("ssm:GetParameters", parameter), ("ssm:GetParameters", parameter));
        using var client = await server.RootAsync();

        var (_, details) = await client.PageAsync(DashboardRoutes.IamRole(role));
        var (response, page) = await client.PageAsync(DashboardRoutes.IamRoleLeastPrivilege(role, "7d"));

        Assert.NotNull(details.QuerySelector($"nav.tabs a[href='{DashboardRoutes.IamRoleLeastPrivilege(role)}']"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"Allow\",\n      \"Action\": \"ssm:GetParameters\",\n      \"Resource\": \"{parameter}\"\n    }}\n  ]\n}}",
            Text(page, "section.suggested pre.policy"));
        var grant = page.QuerySelectorAll("table.grants tbody tr").Single().QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal("AmazonSSMFullAccess", grant[0]);
        Assert.Contains(") on *, ", grant[2], StringComparison.Ordinal);
        Assert.Equal("ssm:GetParameters on 1 resource", grant[3]);
        Assert.Equal(["ssm:GetParameters", parameter, "2"], page.QuerySelectorAll("table.used tbody td").Take(3).Select(c => c.TextContent.Trim()));
        var commands = Texts(page, "section.commands pre.fix");
        Assert.Contains($"aws iam attach-role-policy --role-name {role} --policy-arn arn:aws:iam::{Account}:policy/{role}-least-privilege", commands);
        Assert.Contains($"aws iam detach-role-policy --role-name {role} --policy-arn arn:aws:iam::aws:policy/AmazonSSMFullAccess", commands);
        Assert.Equal("The policy simulator allows all 1 audited calls under the suggested policy.", Text(page, "p.verdict"));
        Assert.Equal("7d", page.QuerySelector("form.filters input[name=since]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_users_tab_suggests_from_the_users_own_calls_and_a_window_before_them_finds_nothing()
    {
        var name = Unique("deployer");
        var user = await server.UserAsync(name, null);
        var parameter = $"arn:aws:ssm:us-east-1:{Account}:parameter/{name}";
        await AuditAsync(user.Arn, ("ssm:GetParameter", parameter));
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.IamUserLeastPrivilege(name, "1h"));
        var (_, narrow) = await client.PageAsync(DashboardRoutes.IamUserLeastPrivilege(name, "2m"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"\"Resource\": \"{parameter}\"", Text(page, "section.suggested pre.policy"), StringComparison.Ordinal);
        Assert.Null(narrow.QuerySelector("section.suggested pre.policy"));
        Assert.StartsWith("No allowed call in this window", Text(narrow, "section.suggested p.none"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2999-01-01T00:00:00Z")]
    public async Task A_bad_since_is_a_400_saying_what_is_allowed(string since)
    {
        var role = Unique("window_role");
        await server.AwsAsync("iam", "create-role", "--role-name", role, "--assume-role-policy-document", CodeBuildTrust);

        await ProblemAssert.BadRequestAsync(server, DashboardRoutes.IamRoleLeastPrivilege(role, since), "ValidationException", $"Since '{since}' is not valid: use a duration like 30d");
    }

    [Fact]
    public async Task A_user_without_the_IAM_reads_sees_AccessDenied_and_the_statement()
    {
        var role = Unique("guarded_role");
        await server.AwsAsync("iam", "create-role", "--role-name", role, "--assume-role-policy-document", CodeBuildTrust);
        var user = await server.UserAsync(Unique("nosy"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudtrail:LookupEvents","Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);

        var roleArn = $"arn:aws:iam::{Account}:role/{role}";
        var page = await ProblemAssert.DeniedAsync(client, DashboardRoutes.IamRoleLeastPrivilege(role), user.Arn, "iam:GetRole", roleArn);
        Assert.Null(page.QuerySelector("section.suggested"));
    }

    [Fact]
    public async Task Another_accounts_role_is_not_found()
    {
        var role = Unique("foreign_role");
        const string Other = "111111111111";
        await server.Server.Services.GetRequiredService<IIdentityStore>().CreateRoleAsync(
            new IamRole(Other, role, "AROAFOREIGN" + Guid.NewGuid().ToString("N")[..9].ToUpperInvariant(), "/", $"arn:aws:iam::{Other}:role/{role}", DateTimeOffset.UtcNow, CodeBuildTrust, null, 3600),
            [], default);
        await AuditAsync($"arn:aws:sts::{Other}:assumed-role/{role}/s", ("ssm:GetParameter", $"arn:aws:ssm:us-east-1:{Other}:parameter/x"));
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.IamRoleLeastPrivilege(role));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NoSuchEntity", Text(page, ".problem h2"));
        Assert.Null(page.QuerySelector("section.suggested"));
    }
}
