using System.Net;
using AngleSharp.Html.Dom;
using Cairn.Core.Audit;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Dashboard.Tests.Pages;

/// <summary>The read-only IAM pages: users, roles, groups and managed policies, read through the application services as IAM's API reads them.</summary>
public sealed class IamPagesTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private const string Account = DashboardServer.Account;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static string Text(IHtmlDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim() ?? "";

    private static List<string> Texts(IHtmlDocument page, string selector) => page.QuerySelectorAll(selector).Select(e => e.TextContent.Trim()).ToList();

    private static string Document(string action, string resource = "*") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Sid":"Only","Effect":"Allow","Action":"{{action}}","Resource":"{{resource}}"}]}""";

    private static string Pretty(string action, string resource = "*") =>
        $"{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Sid\": \"Only\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"{action}\",\n      \"Resource\": \"{resource}\"\n    }}\n  ]\n}}";

    private const string CodeBuildTrust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    [Fact]
    public async Task Root_sees_a_user_with_its_groups_policies_and_keys_but_never_a_secret()
    {
        var name = Unique("alice");
        var group = Unique("devs");
        var policy = Unique("readparams");
        await server.AwsAsync("iam", "create-user", "--user-name", name, "--path", "/team/", "--tags", "Key=team,Value=web");
        await server.AwsAsync("iam", "create-group", "--group-name", group);
        await server.AwsAsync("iam", "add-user-to-group", "--group-name", group, "--user-name", name);
        await server.AwsAsync("iam", "put-user-policy", "--user-name", name, "--policy-name", "inline-ssm", "--policy-document", Document("ssm:GetParameter"));
        var created = await server.AwsAsync("iam", "create-policy", "--policy-name", policy, "--policy-document", Document("kms:Decrypt"));
        var policyArn = created!["Policy"]!["Arn"]!.GetValue<string>();
        await server.AwsAsync("iam", "attach-user-policy", "--user-name", name, "--policy-arn", policyArn);
        var key = (await server.AwsAsync("iam", "create-access-key", "--user-name", name))!["AccessKey"]!;
        // A call signed with the key, as the request pipeline records it.
        server.Server.Services.GetRequiredService<IAuditLog>().Append([new AuditEntry(DateTimeOffset.UtcNow, "r-1", $"arn:aws:iam::{Account}:user/team/{name}",
            key["AccessKeyId"]!.GetValue<string>(), "eu-west-1", "ssm:GetParameter", "ssm:GetParameter", null, "Deny", "AccessDeniedException", "127.0.0.1")]);
        using var client = await server.RootAsync();

        var (listed, users) = await client.PageAsync(DashboardRoutes.IamUsers);
        var (response, page) = await client.PageAsync(DashboardRoutes.IamUser(name));

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.NotNull(users.QuerySelector($"table.users a[href='{DashboardRoutes.IamUser(name)}']"));
        Assert.NotNull(users.QuerySelector($"nav a[href='{DashboardRoutes.IamUsers}']"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"arn:aws:iam::{Account}:user/team/{name}", Text(page, "dl.iam-summary dd.location"));
        Assert.Contains("team=web", page.QuerySelector("dl.iam-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal([group], Texts(page, "section.groups li a"));
        Assert.Equal(["inline-ssm"], Texts(page, "section.inline-policies h3"));
        Assert.Equal(Pretty("ssm:GetParameter"), Text(page, "section.inline-policies pre.policy"));
        Assert.Equal(policy, Text(page, "section.attached-policies h3 a"));
        Assert.Equal(Pretty("kms:Decrypt"), Text(page, "section.attached-policies pre.policy"));
        var keyRow = page.QuerySelectorAll("table.access-keys tbody tr").Single().QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal([key["AccessKeyId"]!.GetValue<string>(), "Active"], keyRow[..2]);
        Assert.EndsWith(" ssm", keyRow[3], StringComparison.Ordinal);
        Assert.DoesNotContain(key["SecretAccessKey"]!.GetValue<string>(), page.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_sees_a_roles_trust_policy_policies_and_session_duration()
    {
        var name = Unique("builder");
        await server.AwsAsync("iam", "create-role", "--role-name", name, "--assume-role-policy-document", CodeBuildTrust, "--max-session-duration", "7200");
        await server.AwsAsync("iam", "put-role-policy", "--role-name", name, "--policy-name", "read", "--policy-document", Document("ssm:GetParameters", "arn:aws:ssm:us-east-1:000000000000:parameter/app/*"));
        await server.AwsAsync("iam", "attach-role-policy", "--role-name", name, "--policy-arn", "arn:aws:iam::aws:policy/AWSCodeBuildDeveloperAccess");
        using var client = await server.RootAsync();

        var (_, roles) = await client.PageAsync(DashboardRoutes.IamRoles);
        var (response, page) = await client.PageAsync(DashboardRoutes.IamRole(name));

        Assert.NotNull(roles.QuerySelector($"table.roles a[href='{DashboardRoutes.IamRole(name)}']"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2 hours (7200 seconds)", Text(page, "dd.max-session"));
        Assert.Contains("\"Service\": \"codebuild.amazonaws.com\"", Text(page, "section.trust-policy pre.policy"), StringComparison.Ordinal);
        Assert.Equal(Pretty("ssm:GetParameters", "arn:aws:ssm:us-east-1:000000000000:parameter/app/*"), Text(page, "section.inline-policies pre.policy"));
        Assert.Equal("AWSCodeBuildDeveloperAccess", Text(page, "section.attached-policies h3 a"));
        Assert.Contains("codebuild:", Text(page, "section.attached-policies pre.policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_sees_a_group_with_its_members_and_policies()
    {
        var group = Unique("ops");
        var member = Unique("bob");
        await server.AwsAsync("iam", "create-group", "--group-name", group);
        await server.AwsAsync("iam", "create-user", "--user-name", member);
        await server.AwsAsync("iam", "add-user-to-group", "--group-name", group, "--user-name", member);
        await server.AwsAsync("iam", "put-group-policy", "--group-name", group, "--policy-name", "logs", "--policy-document", Document("logs:GetLogEvents"));
        using var client = await server.RootAsync();

        var (_, groups) = await client.PageAsync(DashboardRoutes.IamGroups);
        var (response, page) = await client.PageAsync(DashboardRoutes.IamGroup(group));

        Assert.NotNull(groups.QuerySelector($"table.groups a[href='{DashboardRoutes.IamGroup(group)}']"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([member], Texts(page, "section.members li a"));
        Assert.Equal(Pretty("logs:GetLogEvents"), Text(page, "section.inline-policies pre.policy"));
        Assert.Equal("None.", Text(page, "section.attached-policies .none"));
    }

    [Fact]
    public async Task Policies_list_both_kinds_with_attachment_counts_and_a_policy_shows_its_default_version()
    {
        var policy = Unique("deploy");
        var user = Unique("carol");
        var arn = (await server.AwsAsync("iam", "create-policy", "--policy-name", policy, "--path", "/ci/", "--policy-document", Document("ssm:GetParameter")))!["Policy"]!["Arn"]!.GetValue<string>();
        await server.AwsAsync("iam", "create-policy-version", "--policy-arn", arn, "--policy-document", Document("ssm:GetParameters"), "--set-as-default");
        await server.AwsAsync("iam", "create-user", "--user-name", user);
        await server.AwsAsync("iam", "attach-user-policy", "--user-name", user, "--policy-arn", arn);
        using var client = await server.RootAsync();

        var (_, all) = await client.PageAsync(DashboardRoutes.IamPolicies);
        var (_, local) = await client.PageAsync($"{DashboardRoutes.IamPolicies}?scope=Local");
        var (response, page) = await client.PageAsync(DashboardRoutes.IamPolicy(arn));

        var row = all.QuerySelectorAll("table.policies tbody tr").Single(r => r.QuerySelector("a")!.TextContent == policy)
            .QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal([policy, "Customer managed", "1", "/ci/", "v2"], row[..5]);
        Assert.Contains("AdministratorAccess", Texts(all, "table.policies tbody td:first-child a"));
        Assert.DoesNotContain("AdministratorAccess", Texts(local, "table.policies tbody td:first-child a"));
        Assert.Equal(DashboardRoutes.IamPolicy(arn), all.QuerySelectorAll("table.policies a").Single(a => a.TextContent == policy).GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(arn, Text(page, "dl.iam-summary dd.location"));
        Assert.Equal("1", Text(page, "dd.attachments"));
        Assert.Equal("Document (default version v2)", Text(page, "section.default-version h2"));
        Assert.Equal(Pretty("ssm:GetParameters"), Text(page, "section.default-version pre.policy"));
        Assert.Equal([user], Texts(page, "section.attached-to li a"));
    }

    [Fact]
    public async Task An_AWS_managed_policy_page_shows_its_document()
    {
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.IamPolicy("arn:aws:iam::aws:policy/AdministratorAccess"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("AWS managed", page.QuerySelectorAll("dl.iam-summary dd")[1].TextContent.Trim());
        Assert.Contains("\"Action\": \"*\"", Text(page, "section.default-version pre.policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_come_fifty_a_page_in_name_order()
    {
        var prefix = Unique("pg");
        var names = Enumerable.Range(0, 53).Select(i => $"{prefix}-{i:D2}").ToList();
        foreach (var name in names)
        {
            await server.UserAsync(name, null);
        }

        using var client = await server.RootAsync();
        var seen = new List<string>();
        string? next = DashboardRoutes.IamUsers;
        var pages = 0;
        while (next is not null)
        {
            var (_, page) = await client.PageAsync(next);
            var rows = Texts(page, "table.users tbody td:first-child a");
            Assert.True(rows.Count <= 50, $"{rows.Count} rows on one page");
            seen.AddRange(rows);
            next = page.QuerySelector(".paging a")?.GetAttribute("href");
            pages++;
        }

        Assert.True(pages >= 2);
        Assert.Equal(names, seen.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Equal(seen.Count, seen.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(seen.Order(StringComparer.OrdinalIgnoreCase), seen);
    }

    [Fact]
    public async Task A_user_without_GetUser_sees_AccessDenied_and_the_statement()
    {
        var target = Unique("target");
        await server.UserAsync(target, null);
        var user = await server.UserAsync(Unique("lister"), Document("iam:ListUsers"));
        using var client = await server.SessionForAsync(user);

        var (listed, _) = await client.PageAsync(DashboardRoutes.IamUsers);
        var (response, page) = await client.PageAsync(DashboardRoutes.IamUser(target));

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var targetArn = $"arn:aws:iam::{Account}:user/{target}";
        Assert.Equal(
            $"User: {user.Arn} is not authorized to perform: iam:GetUser on resource: {targetArn} because no identity-based policy allows the iam:GetUser action",
            Text(page, ".problem .message"));
        Assert.Equal($"{{\n  \"Effect\": \"Allow\",\n  \"Action\": \"iam:GetUser\",\n  \"Resource\": \"{targetArn}\"\n}}", Text(page, "pre.statement"));
        Assert.Null(page.QuerySelector("dl.iam-summary"));
    }

    [Fact]
    public async Task A_denied_section_shows_its_denial_and_the_rest_of_the_page()
    {
        var target = Unique("keyed");
        await server.UserAsync(target, null);
        var user = await server.UserAsync(Unique("reader"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListGroupsForUser","iam:ListUserPolicies","iam:ListAttachedUserPolicies"],"Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);

        var (response, page) = await client.PageAsync(DashboardRoutes.IamUser(target));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(page.QuerySelector("dl.iam-summary"));
        Assert.StartsWith($"User: {user.Arn} is not authorized to perform: iam:ListAccessKeys on resource: arn:aws:iam::{Account}:user/{target}",
            Text(page, "section.access-keys .problem .message"), StringComparison.Ordinal);
        Assert.Contains("\"Action\": \"iam:ListAccessKeys\"", Text(page, "section.access-keys pre.statement"), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("section.groups .problem"));
    }

    [Theory]
    [InlineData(DashboardRoutes.IamRoles, "iam:ListRoles", "role/")]
    [InlineData(DashboardRoutes.IamGroups, "iam:ListGroups", "group/")]
    [InlineData(DashboardRoutes.IamPolicies, "iam:ListPolicies", "policy/")]
    public async Task A_list_the_policy_denies_is_403_with_the_statement(string path, string action, string resource)
    {
        var user = await server.UserAsync(Unique("nolist"), Document("iam:ListUsers"));
        using var client = await server.SessionForAsync(user);

        var (response, page) = await client.PageAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            $"User: {user.Arn} is not authorized to perform: {action} on resource: arn:aws:iam::{Account}:{resource} because no identity-based policy allows the {action} action",
            Text(page, ".problem .message"));
        Assert.Contains($"\"Action\": \"{action}\"", Text(page, "pre.statement"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/iam/users/bad%20name", "ValidationError", "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+")]
    [InlineData("/iam/roles/r%C3%A9le", "ValidationError", "1 validation error detected: Value 'réle' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [InlineData("/iam/groups/g%21", "ValidationError", "1 validation error detected: Value 'g!' at 'groupName'")]
    [InlineData("/iam/users?after=a%2Fb", "ValidationError", "1 validation error detected: Value 'a/b' at 'after'")]
    [InlineData("/iam/policies?scope=Mine", "ValidationError", "1 validation error detected: Value 'Mine' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]")]
    [InlineData("/iam/policies/not-an-arn", "InvalidInput", "ARN not-an-arn is not valid.")]
    public Task A_bad_name_or_filter_is_a_400_with_IAMs_error(string path, string code, string message) =>
        ProblemAssert.BadRequestAsync(server, path, code, message);

    [Theory]
    [InlineData("/iam/users/nobody-here", "The user with name nobody-here cannot be found.")]
    [InlineData("/iam/roles/nobody-here", "The role with name nobody-here cannot be found.")]
    [InlineData("/iam/groups/nobody-here", "The group with name nobody-here cannot be found.")]
    [InlineData("/iam/policies/arn:aws:iam::000000000000:policy/nobody-here", "Policy arn:aws:iam::000000000000:policy/nobody-here was not found.")]
    public async Task A_missing_entity_is_404_NoSuchEntity(string path, string message)
    {
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NoSuchEntity", Text(page, ".problem h2"));
        Assert.Equal(message, Text(page, ".problem .message"));
    }
}
