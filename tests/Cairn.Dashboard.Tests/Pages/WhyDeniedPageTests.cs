using System.Net;
using AngleSharp.Html.Dom;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Tests.Infrastructure;

namespace Cairn.Dashboard.Tests.Pages;

/// <summary>"Why was I denied": the policy simulator as iam:SimulatePrincipalPolicy runs it, naming the statement that decided, and the Denied box's link to it.</summary>
public sealed class WhyDeniedPageTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private const string Account = DashboardServer.Account;
    private const string Trust = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static string Text(IHtmlDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim() ?? "";

    private static string Parameter(string name) => $"arn:aws:ssm:us-east-1:{Account}:parameter/{name}";

    private static string Ask(string principal, string action, string? resource = null, string? context = null) =>
        DashboardRoutes.WhyDenied + $"?principal={Uri.EscapeDataString(principal)}&action={Uri.EscapeDataString(action)}"
        + (resource is null ? "" : $"&resource={Uri.EscapeDataString(resource)}") + (context is null ? "" : $"&context={Uri.EscapeDataString(context)}");

    /// <summary>A build role with an Allow on /app/* and a Deny on /app/secret/*, as the seeds' service role reads its parameters.</summary>
    private async Task<string> RoleAsync()
    {
        var role = Unique("build");
        await server.AwsAsync("iam", "create-role", "--role-name", role, "--assume-role-policy-document", Trust);
        await server.AwsAsync("iam", "put-role-policy", "--role-name", role, "--policy-name", "params", "--policy-document",
            """{"Version":"2012-10-17","Statement":[{"Sid":"ReadApp","Effect":"Allow","Action":"ssm:GetParameters","Resource":"APP"},{"Effect":"Deny","Action":"ssm:GetParameters","Resource":"SECRET"},{"Sid":"TlsOnly","Effect":"Allow","Action":"ssm:PutParameter","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}""".Replace("SECRET", Parameter("app/secret/*"), StringComparison.Ordinal).Replace("APP", Parameter("app/*"), StringComparison.Ordinal));
        return $"arn:aws:iam::{Account}:role/{role}";
    }

    [Fact]
    public async Task The_empty_form_asks_for_principal_action_resource_and_context()
    {
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.WhyDenied);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["principal", "action", "resource", "context"], page.QuerySelectorAll("form.why-denied [name]").Select(e => e.GetAttribute("name")));
        Assert.Null(page.QuerySelector("section.simulation"));
        Assert.NotNull(page.QuerySelector($"nav.subnav a[href='{DashboardRoutes.WhyDenied}']"));
    }

    [Fact]
    public async Task An_allowed_request_names_the_allowing_statement()
    {
        var role = await RoleAsync();
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(Ask(role, "ssm:GetParameters", Parameter("app/db")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Allowed", Text(page, "section.simulation h2"));
        Assert.Equal("ReadApp", Text(page, "ul.decided .sid"));
        Assert.Equal("params", Text(page, "ul.decided .policy-name"));
        Assert.Equal($"{{\n  \"Sid\": \"ReadApp\",\n  \"Effect\": \"Allow\",\n  \"Action\": \"ssm:GetParameters\",\n  \"Resource\": \"{Parameter("app/*")}\"\n}}", Text(page, "ul.decided pre.policy"));
        Assert.Equal(role, page.QuerySelector("input[name=principal]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task An_explicit_deny_names_the_Deny_statement_by_position()
    {
        var role = await RoleAsync();
        using var client = await server.RootAsync();

        var (_, page) = await client.PageAsync(Ask(role, "ssm:GetParameters", Parameter("app/secret/token")));

        Assert.Equal("ExplicitDeny", Text(page, "section.simulation h2"));
        Assert.Equal("Statement[1]", Text(page, "ul.decided .sid"));
        Assert.Equal($"{{\n  \"Effect\": \"Deny\",\n  \"Action\": \"ssm:GetParameters\",\n  \"Resource\": \"{Parameter("app/secret/*")}\"\n}}", Text(page, "ul.decided pre.policy"));
    }

    [Fact]
    public async Task An_implicit_deny_shows_the_statement_that_would_allow_it_and_the_command()
    {
        var role = await RoleAsync();
        var name = role[(role.LastIndexOf('/') + 1)..];
        using var client = await server.RootAsync();

        var (_, page) = await client.PageAsync(Ask(role, "kms:Decrypt", $"arn:aws:kms:us-east-1:{Account}:key/1234"));

        Assert.Equal("ImplicitDeny", Text(page, "section.simulation h2"));
        Assert.Null(page.QuerySelector("ul.decided"));
        Assert.Equal($"{{\n  \"Effect\": \"Allow\",\n  \"Action\": \"kms:Decrypt\",\n  \"Resource\": \"arn:aws:kms:us-east-1:{Account}:key/1234\"\n}}", Text(page, "pre.statement"));
        Assert.StartsWith($"aws iam put-role-policy --role-name {name} --policy-name cairn-console-", Text(page, "pre.command"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_condition_that_fails_is_named_and_the_context_key_makes_it_allowed()
    {
        var role = await RoleAsync();
        using var client = await server.RootAsync();

        var (_, without) = await client.PageAsync(Ask(role, "ssm:PutParameter", Parameter("app/db")));
        var (_, with) = await client.PageAsync(Ask(role, "ssm:PutParameter", Parameter("app/db"), "aws:SecureTransport=true\n"));

        Assert.Equal("ImplicitDeny", Text(without, "section.simulation h2"));
        Assert.Equal("statement TlsOnly of policy params (role): Bool aws:SecureTransport", string.Join(' ', Text(without, "ul.unmet li").Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Contains("aws:SecureTransport", Text(without, "p.missing"), StringComparison.Ordinal);
        Assert.Equal("Allowed", Text(with, "section.simulation h2"));
        Assert.Equal("TlsOnly", Text(with, "ul.decided .sid"));
        Assert.Equal("aws:SecureTransport=true", with.QuerySelector("textarea[name=context]")!.TextContent.Trim());
    }

    [Fact]
    public async Task A_role_session_is_simulated_as_its_role()
    {
        var role = await RoleAsync();
        var name = role[(role.LastIndexOf('/') + 1)..];
        using var client = await server.RootAsync();

        var (_, page) = await client.PageAsync(Ask($"arn:aws:sts::{Account}:assumed-role/{name}/build-1", "ssm:GetParameters", Parameter("app/db")));

        Assert.Equal("Allowed", Text(page, "section.simulation h2"));
        Assert.Contains(role, Text(page, "p.request"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_SimulatePrincipalPolicy_sees_AccessDenied_and_the_statement()
    {
        var role = await RoleAsync();
        var user = await server.UserAsync(Unique("nosim"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);

        var (response, page) = await client.PageAsync(Ask(role, "ssm:GetParameters", Parameter("app/db")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            $"User: {user.Arn} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: {role} because no identity-based policy allows the iam:SimulatePrincipalPolicy action",
            Text(page, ".problem .message"));
        Assert.Equal($"{{\n  \"Effect\": \"Allow\",\n  \"Action\": \"iam:SimulatePrincipalPolicy\",\n  \"Resource\": \"{role}\"\n}}", Text(page, "pre.statement"));
        Assert.Null(page.QuerySelector("section.simulation"));
    }

    [Fact]
    public async Task A_denial_links_to_the_form_filled_in_and_it_explains_the_denial()
    {
        var user = await server.UserAsync(Unique("denied"), """{"Version":"2012-10-17","Statement":[{"Sid":"ParamsOnly","Effect":"Allow","Action":"ssm:*","Resource":"*"}]}""");
        using var denied = await server.SessionForAsync(user);
        var (_, refused) = await denied.PageAsync(DashboardRoutes.Audit);
        var link = refused.QuerySelector(".problem p.why a")?.GetAttribute("href");
        using var root = await server.RootAsync();

        var (_, page) = await root.PageAsync(link!);

        Assert.Equal(DashboardRoutes.WhyDeniedFor(user.Arn, "cloudtrail:LookupEvents", "*"), link);
        Assert.Equal("ImplicitDeny", Text(page, "section.simulation h2"));
        Assert.Equal(["principal", user.Arn, "action", "cloudtrail:LookupEvents", "resource", "*"],
            page.QuerySelectorAll("form.why-denied input").SelectMany(i => new[] { i.GetAttribute("name")!, i.GetAttribute("value")! }));
        Assert.Equal("{\n  \"Effect\": \"Allow\",\n  \"Action\": \"cloudtrail:LookupEvents\",\n  \"Resource\": \"*\"\n}", Text(page, "pre.statement"));
    }

    [Fact]
    public async Task The_root_users_own_denials_have_no_link()
    {
        using var client = await server.RootAsync();

        var (_, page) = await client.PageAsync("/iam/users/nobody-at-all");

        Assert.Null(page.QuerySelector(".problem p.why"));
    }

    [Theory]
    [InlineData("?action=ssm:GetParameter", "ValidationError", "1 validation error detected: Value null at 'policySourceArn' failed to satisfy constraint: Member must not be null")]
    [InlineData("?principal=arn:aws:iam::000000000000:user/x", "ValidationError", "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null")]
    [InlineData("?principal=arn:x&action=ssm:GetParameter", "ValidationError", "1 validation error detected: Value 'arn:x' at 'policySourceArn' failed to satisfy constraint: Member must have length greater than or equal to 20")]
    [InlineData("?principal=arn:aws:s3:::some-bucket-name&action=ssm:GetParameter", "InvalidInput", "Invalid ARN: arn:aws:s3:::some-bucket-name. The PolicySourceArn must be the ARN of a user, group or role in this account.")]
    [InlineData("?principal=arn:aws:iam::000000000000:user/x&action=s3", "ValidationError", "1 validation error detected: Value 's3' at 'actionNames' failed to satisfy constraint: Member must have length greater than or equal to 3")]
    [InlineData("?principal=arn:aws:iam::000000000000:user/x&action=ssm:GetParameter&context=no-equals-sign", "InvalidInput", "Context entry 'no-equals-sign' is not key=value")]
    [InlineData("?principal=arn:aws:iam::000000000000:user/x&action=ssm:GetParameter&context=a%3D1", "ValidationError", "1 validation error detected: Value 'a' at 'contextKeyName' failed to satisfy constraint: Member must have length greater than or equal to 5")]
    public Task Bad_input_is_a_400_with_IAMs_error(string query, string code, string message) =>
        ProblemAssert.BadRequestAsync(server, DashboardRoutes.WhyDenied + query, code, message);

    [Fact]
    public async Task A_principal_that_does_not_exist_is_404_NoSuchEntity()
    {
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(Ask($"arn:aws:iam::{Account}:role/no-such-role", "ssm:GetParameter"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("The role with name no-such-role cannot be found.", Text(page, ".problem .message"));
    }
}
