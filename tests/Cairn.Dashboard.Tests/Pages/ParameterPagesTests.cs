using System.Net;
using AngleSharp.Html.Dom;
using Cairn.Core.Audit;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Dashboard.Tests.Pages;

/// <summary>The Parameter Store pages: list and search, a parameter's history, Reveal (audited, denied with the fix), create and overwrite.</summary>
public sealed class ParameterPagesTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private const string Secret = "s3cret-Dashboard-value";

    private static string Unique(string prefix) => $"/{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 10)];

    private static string Text(IHtmlDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim() ?? "";

    private static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) => DashboardServer.Parse(await response.Content.ReadAsStringAsync());

    private Task PutAsync(string name, string value, string type = "String", params string[] more) =>
        server.AwsAsync(["ssm", "put-parameter", "--name", name, "--value", value, "--type", type, .. more]);

    private static string ReadOnly(string extra = "") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssm:DescribeParameters","ssm:GetParameterHistory"{{extra}}],"Resource":"*"}]}""";

    [Fact]
    public async Task The_list_shows_type_tier_version_labels_and_who_changed_it_never_a_value()
    {
        var path = Unique("list");
        await PutAsync($"{path}/db-password", Secret, "SecureString");
        await PutAsync($"{path}/db-password", Secret + "2", "SecureString", "--overwrite");
        await server.AwsAsync("ssm", "label-parameter-version", "--name", $"{path}/db-password", "--parameter-version", "1", "--labels", "prod");
        await PutAsync($"{path}/url", "host=example.test");
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync($"{DashboardRoutes.Parameters}?path={Uri.EscapeDataString(path)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = page.QuerySelectorAll("table.parameters tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList()).ToList();
        Assert.Equal([$"{path}/db-password", $"{path}/url"], rows.Select(r => r[0]));
        Assert.Equal(["SecureString", "Standard", "2", "prod (v1)"], rows[0][1..5]);
        Assert.Equal($"arn:aws:iam::{DashboardServer.Account}:root", rows[0][6]);
        Assert.EndsWith("UTC", rows[0][5], StringComparison.Ordinal);
        Assert.Equal(DashboardRoutes.Parameter($"{path}/db-password"), page.QuerySelector("table.parameters a")!.GetAttribute("href"));
        Assert.DoesNotContain(Secret, page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("host=example.test", page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"nav a[href='{DashboardRoutes.Parameters}']"));
    }

    [Fact]
    public async Task Search_by_name_and_type_and_paging_keep_the_filters()
    {
        var path = Unique("page");
        using var client = await server.RootAsync();
        var (_, form) = await client.PageAsync(DashboardRoutes.NewParameter);
        for (var i = 0; i < 52; i++)
        {
            var created = await client.SubmitAsync(form, DashboardRoutes.PutParameter, ("Name", $"{path}/p{i:D2}"), ("Type", "String"), ("Value", "v"));
            Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        }

        await PutAsync($"{path}/only-secret", Secret, "SecureString");

        var (_, first) = await client.PageAsync($"{DashboardRoutes.Parameters}?path={Uri.EscapeDataString(path)}&type=String");
        Assert.Equal(50, first.QuerySelectorAll("table.parameters tbody tr").Length);
        var more = first.QuerySelector(".paging a")!.GetAttribute("href")!;
        Assert.Contains($"path={Uri.EscapeDataString(path)}", more, StringComparison.Ordinal);
        Assert.Contains("type=String", more, StringComparison.Ordinal);
        var (_, second) = await client.PageAsync(more);
        Assert.Equal([$"{path}/p50", $"{path}/p51"], second.QuerySelectorAll("table.parameters tbody tr td:first-child").Select(c => c.TextContent));

        var (_, secure) = await client.PageAsync($"{DashboardRoutes.Parameters}?path={Uri.EscapeDataString(path)}&type=SecureString");
        Assert.Equal([$"{path}/only-secret"], secure.QuerySelectorAll("table.parameters tbody tr td:first-child").Select(c => c.TextContent));
        var (_, named) = await client.PageAsync($"{DashboardRoutes.Parameters}?path={Uri.EscapeDataString(path)}&name=p4");
        Assert.Equal(10, named.QuerySelectorAll("table.parameters tbody tr").Length);
    }

    [Theory]
    [InlineData("path=no-slash", "ValidationException", "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash")]
    [InlineData("type=Secret", "InvalidFilterOption", "The following filter value is not valid: Secret. Valid values include: [String, StringList, SecureString]")]
    [InlineData("next=not-a-token", "InvalidNextToken", "The specified token isn't valid.")]
    public Task A_bad_search_is_a_400_with_SSMs_text(string query, string code, string message) =>
        ProblemAssert.BadRequestAsync(server, $"{DashboardRoutes.Parameters}?{query}", code, message);

    [Fact]
    public async Task The_detail_shows_history_and_labels_with_SecureString_values_hidden()
    {
        var name = Unique("detail") + "/token";
        await PutAsync(name, Secret, "SecureString", "--description", "the api token");
        await PutAsync(name, Secret + "-v2", "SecureString", "--overwrite");
        await server.AwsAsync("ssm", "label-parameter-version", "--name", name, "--parameter-version", "1", "--labels", "old", "prod");
        var plain = Unique("detail") + "/url";
        await PutAsync(plain, "host=one.test");
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(DashboardRoutes.Parameter(name));
        var (_, plainPage) = await client.PageAsync(DashboardRoutes.Parameter(plain));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = page.QuerySelectorAll("table.history tbody tr").ToList();
        Assert.Equal(["2", "1"], rows.Select(r => r.QuerySelector("td")!.TextContent));
        Assert.Equal("old, prod", rows[1].QuerySelector("td.labels")!.TextContent);
        Assert.All(rows, r => Assert.Equal("hidden", r.QuerySelector(".hidden-value")!.TextContent));
        Assert.Equal(2, page.QuerySelectorAll($"form[action='{DashboardRoutes.RevealParameter}']").Length);
        Assert.Contains("the api token", page.QuerySelector("section.build-header")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"arn:aws:ssm:{DashboardServer.Region}:{DashboardServer.Account}:parameter{name}", page.QuerySelector("section.build-header")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("pre.value"));
        Assert.Equal("host=one.test", Text(plainPage, "table.history pre.value"));
        Assert.Equal(DashboardRoutes.OverwriteParameter(name), page.QuerySelector("section.build-header a")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest, "No parameter named")]
    [InlineData("?name=%2Fno%2Fsuch-parameter", HttpStatusCode.BadRequest, "Parameter /no/such-parameter not found.")]
    [InlineData("?name=%2Fx&after=abc", HttpStatusCode.BadRequest, "Invalid version position: after=abc.")]
    [InlineData("?name=%2Fx%3A3", HttpStatusCode.BadRequest, "Parameter name: can't be prefixed")]
    public async Task A_bad_detail_request_says_what_is_wrong(string query, HttpStatusCode status, string message)
    {
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync("/parameter" + query);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, Text(page, ".problem .message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reveal_shows_the_value_in_the_answer_to_the_POST_only_and_is_audited()
    {
        var name = Unique("reveal") + "/pw";
        await PutAsync(name, Secret, "SecureString");
        await PutAsync(name, Secret + "-new", "SecureString", "--overwrite");
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Parameter(name));
        var versionOne = page.QuerySelectorAll("form.reveal").OfType<IHtmlFormElement>().Single(f => f.QuerySelector("input[name=Version]")!.GetAttribute("value") == "1");
        var fields = versionOne.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>().Select(i => new KeyValuePair<string, string>(i.Name!, i.Value));

        var response = await client.PostAsync(DashboardRoutes.RevealParameter, fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var revealed = await ParseAsync(response);
        Assert.Equal(Secret, Text(revealed, "pre.revealed-value"));
        Assert.Contains($"Value of {name}, version 1", Text(revealed, "section.revealed h2"), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret + "-new", revealed.DocumentElement.OuterHtml, StringComparison.Ordinal);
        var (_, after) = await client.PageAsync(DashboardRoutes.Parameter(name));
        Assert.DoesNotContain(Secret, after.DocumentElement.OuterHtml, StringComparison.Ordinal);

        var audit = server.Server.Services.GetRequiredService<IAuditLog>();
        await audit.FlushAsync(default);
        var entries = await audit.QueryAsync(new AuditQuery(PrincipalContains: ":root"), default);
        var read = Assert.Single(entries, e => e.Operation == $"console:POST {DashboardRoutes.RevealParameter}" && e.Action == "ssm:GetParameter" && e.Resource!.EndsWith(name, StringComparison.Ordinal));
        Assert.Equal("Allow", read.Decision);
        Assert.Contains(entries, e => e.RequestId == read.RequestId && e.Action == "kms:Decrypt");
        Assert.DoesNotContain(entries, e => (e.Resource ?? "").Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reveal_without_GetParameter_is_AccessDenied_with_the_statement_and_no_value()
    {
        var name = Unique("denied") + "/pw";
        await PutAsync(name, Secret, "SecureString");
        var user = await server.UserAsync(Unique("viewer")[1..], ReadOnly());
        using var client = await server.SessionForAsync(user);
        var (pageResponse, page) = await client.PageAsync(DashboardRoutes.Parameter(name));
        Assert.Equal(HttpStatusCode.OK, pageResponse.StatusCode);

        var response = await client.SubmitAsync(page, DashboardRoutes.RevealParameter);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var denied = await ParseAsync(response);
        var arn = $"arn:aws:ssm:{DashboardServer.Region}:{DashboardServer.Account}:parameter{name}";
        Assert.Equal(
            $"User: {user.Arn} is not authorized to perform: ssm:GetParameter on resource: {arn} because no identity-based policy allows the ssm:GetParameter action",
            Text(denied, ".problem .message"));
        Assert.Equal($"{{\n  \"Effect\": \"Allow\",\n  \"Action\": \"ssm:GetParameter\",\n  \"Resource\": \"{arn}\"\n}}", Text(denied, "pre.statement"));
        Assert.Null(denied.QuerySelector("pre.revealed-value"));
        Assert.DoesNotContain(Secret, denied.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reveal_of_a_parameter_under_a_key_the_user_may_not_use_is_AccessDenied_on_kms_Decrypt()
    {
        var key = (await server.AwsAsync("kms", "create-key", "--description", "dashboard reveal test"))!["KeyMetadata"]!["Arn"]!.GetValue<string>();
        var name = Unique("keyed") + "/pw";
        await PutAsync(name, Secret, "SecureString", "--key-id", key);
        var user = await server.UserAsync(Unique("reader")[1..], ReadOnly(",\"ssm:GetParameter\""));
        using var client = await server.SessionForAsync(user);
        var (_, page) = await client.PageAsync(DashboardRoutes.Parameter(name));

        var response = await client.SubmitAsync(page, DashboardRoutes.RevealParameter);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var denied = await ParseAsync(response);
        Assert.Contains($"kms:Decrypt on resource: {key}", Text(denied, ".problem .message"), StringComparison.Ordinal);
        Assert.Contains("\"Action\": \"kms:Decrypt\"", Text(denied, "pre.statement"), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, denied.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "1", "Reveal needs the parameter's name")]
    [InlineData("/x:2", "1", "Reveal needs the parameter's name")]
    [InlineData("NAME", "zero", "Invalid version 'zero'")]
    [InlineData("NAME", "99", "ParameterVersionNotFound")]
    public async Task A_bad_reveal_is_a_400_and_reveals_nothing(string name, string version, string message)
    {
        var real = Unique("badreveal") + "/pw";
        await PutAsync(real, Secret, "SecureString");
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Parameter(real));
        var token = page.QuerySelector("input[name=__csrf]")!.GetAttribute("value")!;

        var response = await client.PostAsync(DashboardRoutes.RevealParameter, [new("__csrf", token), new("Name", name == "NAME" ? real : name), new("Version", version)]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, DashboardServer.Parse(body).QuerySelector(".problem")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_then_overwrite_through_the_form()
    {
        var name = Unique("put") + "/greeting";
        using var client = await server.RootAsync();
        var (_, form) = await client.PageAsync(DashboardRoutes.NewParameter);

        var created = await client.SubmitAsync(form, DashboardRoutes.PutParameter, ("Name", name), ("Type", "StringList"), ("Value", "a,b"), ("Description", "letters"));

        Assert.Equal(HttpStatusCode.SeeOther, created.StatusCode);
        Assert.Equal(DashboardRoutes.Parameter(name), created.Headers.Location!.OriginalString);
        var (_, overwrite) = await client.PageAsync(DashboardRoutes.OverwriteParameter(name));
        Assert.Equal(name, overwrite.QuerySelector("input[name=Name]")!.GetAttribute("value"));
        Assert.True(overwrite.QuerySelector("input[name=Overwrite]")!.HasAttribute("checked"));
        var again = await client.SubmitAsync(overwrite, DashboardRoutes.PutParameter, ("Name", name), ("Type", "StringList"), ("Value", "a,b,c"), ("Overwrite", "true"));
        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        var read = await server.AwsAsync("ssm", "get-parameter", "--name", name);
        Assert.Equal("a,b,c", read!["Parameter"]!["Value"]!.GetValue<string>());
        Assert.Equal(2, read["Parameter"]!["Version"]!.GetValue<int>());
        Assert.Equal($"arn:aws:iam::{DashboardServer.Account}:root",
            (await server.AwsAsync("ssm", "describe-parameters", "--parameter-filters", $"Key=Name,Values={name}"))!["Parameters"]![0]!["LastModifiedUser"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("EXISTS", "String", "v", "", "ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")]
    [InlineData("NEW", "String", "", "", "ValidationException", "Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.")]
    [InlineData("/ssm/mine", "String", "v", "", "ValidationException", "Parameter name: can't be prefixed")]
    [InlineData("NEW", "Secret", "v", "", "ValidationException", "Member must satisfy enum value set: [String, StringList, SecureString]")]
    [InlineData("NEW", "String", "v", "alias/mine", "ValidationException", "A KMS key is only used by a SecureString")]
    [InlineData("NEW", "SecureString", "s3cret-Dashboard-value", "alias/no-such-key", "", "alias/no-such-key")]
    public async Task A_bad_put_shows_SSMs_error_on_the_form_and_never_echoes_a_secret(string name, string type, string value, string keyId, string code, string message)
    {
        var existing = Unique("exists") + "/x";
        await PutAsync(existing, "old");
        var target = name switch { "EXISTS" => existing, "NEW" => Unique("new") + "/x", _ => name };
        using var client = await server.RootAsync();
        var (_, form) = await client.PageAsync(DashboardRoutes.NewParameter);

        var response = await client.SubmitAsync(form, DashboardRoutes.PutParameter, ("Name", target), ("Type", type), ("Value", value), ("KeyId", keyId));

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{response.StatusCode}");
        var page = await ParseAsync(response);
        if (code.Length > 0)
        {
            Assert.Equal(code, Text(page, ".problem h2"));
        }

        Assert.Contains(message, Text(page, ".problem .message"), StringComparison.Ordinal);
        Assert.Equal(target, page.QuerySelector("form.put-parameter input[name=Name]")!.GetAttribute("value"));
        Assert.DoesNotContain(Secret, page.DocumentElement.OuterHtml, StringComparison.Ordinal);
        if (type == "String" && value.Length > 0)
        {
            Assert.Equal(value, Text(page, "form.put-parameter textarea[name=Value]"));
        }
    }

    [Fact]
    public async Task A_user_without_PutParameter_is_denied_with_the_fix_and_nothing_is_written()
    {
        var name = Unique("noput") + "/x";
        var user = await server.UserAsync(Unique("viewer")[1..], ReadOnly());
        using var client = await server.SessionForAsync(user);
        var (_, form) = await client.PageAsync(DashboardRoutes.NewParameter);

        var response = await client.SubmitAsync(form, DashboardRoutes.PutParameter, ("Name", name), ("Type", "String"), ("Value", "v"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var page = await ParseAsync(response);
        Assert.Contains($"ssm:PutParameter on resource: arn:aws:ssm:{DashboardServer.Region}:{DashboardServer.Account}:parameter{name}", Text(page, ".problem .message"), StringComparison.Ordinal);
        Assert.Contains("\"Action\": \"ssm:PutParameter\"", Text(page, "pre.statement"), StringComparison.Ordinal);
        using var root = await server.RootAsync();
        var (notFound, _) = await root.PageAsync(DashboardRoutes.Parameter(name));
        Assert.Equal(HttpStatusCode.BadRequest, notFound.StatusCode);
    }

    [Fact]
    public async Task A_user_without_DescribeParameters_sees_the_denial_with_its_fix()
    {
        var user = await server.UserAsync(Unique("nobody")[1..], null);
        using var client = await server.SessionForAsync(user);

        var (response, page) = await client.PageAsync(DashboardRoutes.Parameters);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains($"ssm:DescribeParameters on resource: arn:aws:ssm:{DashboardServer.Region}:{DashboardServer.Account}:*", Text(page, ".problem .message"), StringComparison.Ordinal);
        Assert.Contains("\"Action\": \"ssm:DescribeParameters\"", Text(page, "pre.statement"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reveal")]
    [InlineData("put")]
    public async Task A_parameter_form_with_a_missing_or_forged_antiforgery_token_is_refused(string which)
    {
        var name = Unique("csrf") + "/pw";
        await PutAsync(name, Secret, "SecureString");
        using var client = await server.RootAsync();
        var (_, page) = await client.PageAsync(DashboardRoutes.Parameter(name));
        var token = page.QuerySelector("input[name=__csrf]")!.GetAttribute("value")!;
        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var action = which == "reveal" ? DashboardRoutes.RevealParameter : DashboardRoutes.PutParameter;
        KeyValuePair<string, string>[] fields = [new("Name", name), new("Version", "1"), new("Type", "SecureString"), new("Value", "changed"), new("Overwrite", "true")];

        var missing = await client.PostAsync(action, fields);
        var wrong = await client.PostAsync(action, [.. fields, new("__csrf", forged)]);

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.DoesNotContain(Secret, await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var read = await server.AwsAsync("ssm", "get-parameter", "--name", name, "--with-decryption");
        Assert.Equal(Secret, read!["Parameter"]!["Value"]!.GetValue<string>());
    }
}
