using System.Net;
using AngleSharp.Html.Dom;
using Cairn.Core.Audit;
using Cairn.Dashboard.Hosting;
using Cairn.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Dashboard.Tests.Pages;

/// <summary>The audit trail page: the same trail as `cairn audit`, read with cloudtrail:LookupEvents, filtered and paged.</summary>
public sealed class AuditPageTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private static List<List<string>> Rows(IHtmlDocument page) =>
        page.QuerySelectorAll("table.audit tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList()).ToList();

    /// <summary>Entries for a principal of its own, written straight to the trail (as the server's audit decorator writes them).</summary>
    private async Task<string> SeedAsync(string user, int count, DateTimeOffset newest, string account = DashboardServer.Account)
    {
        var arn = $"arn:aws:iam::{account}:user/{user}";
        var log = server.Server.Services.GetRequiredService<IAuditLog>();
        log.Append(Enumerable.Range(0, count).Select(i => new AuditEntry(
            newest.AddMinutes(i - count + 1), $"req-{user}-{i:D3}", arn, "AKIAAUDITTEST", DashboardServer.Region, "ssm:GetParameter",
            i % 2 == 0 ? "ssm:GetParameter" : "kms:Decrypt", $"arn:aws:ssm:us-east-1:{account}:parameter/p{i}", i % 3 == 0 ? "Deny" : "Allow",
            i % 3 == 0 ? "AccessDeniedException" : null, "10.1.2.3")));
        await log.FlushAsync(default);
        return arn;
    }

    [Fact]
    public async Task Root_sees_entries_newest_first_with_every_field()
    {
        var user = Unique("audited");
        var arn = await SeedAsync(user, 3, DateTimeOffset.UtcNow.AddMinutes(-1));
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync($"{DashboardRoutes.Audit}?principal={Uri.EscapeDataString(user)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = Rows(page);
        Assert.Equal([$"req-{user}-002", $"req-{user}-001", $"req-{user}-000"], rows.Select(r => r[8]));
        Assert.Equal(["Allow", arn, "ssm:GetParameter", "arn:aws:ssm:us-east-1:000000000000:parameter/p2", "ssm:GetParameter", "OK", "10.1.2.3"], rows[0][1..8]);
        Assert.Equal(["Deny", "AccessDeniedException"], [rows[2][1], rows[2][6]]);
        Assert.NotNull(page.QuerySelector($"nav a[href='{DashboardRoutes.Audit}']"));
    }

    [Fact]
    public async Task Filters_by_action_decision_and_time_range()
    {
        var user = Unique("filtered");
        var now = DateTimeOffset.UtcNow;
        await SeedAsync(user, 6, now.AddMinutes(-1)); // minutes -6 .. -1
        using var client = await server.RootAsync();
        var principal = $"principal={Uri.EscapeDataString(user)}";

        var (_, kms) = await client.PageAsync($"{DashboardRoutes.Audit}?{principal}&action=kms:");
        var (_, denied) = await client.PageAsync($"{DashboardRoutes.Audit}?{principal}&decision=Deny");
        var (_, window) = await client.PageAsync($"{DashboardRoutes.Audit}?{principal}&since=270s&until=150s");
        var iso = now.AddMinutes(-3.5).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        var (_, sinceIso) = await client.PageAsync($"{DashboardRoutes.Audit}?{principal}&since={Uri.EscapeDataString(iso)}");

        Assert.Equal([$"req-{user}-005", $"req-{user}-003", $"req-{user}-001"], Rows(kms).Select(r => r[8]));
        Assert.Equal([$"req-{user}-003", $"req-{user}-000"], Rows(denied).Select(r => r[8]));
        Assert.Equal([$"req-{user}-003", $"req-{user}-002"], Rows(window).Select(r => r[8]));
        Assert.Equal([$"req-{user}-005", $"req-{user}-004", $"req-{user}-003"], Rows(sinceIso).Select(r => r[8]));
        Assert.Equal("Deny", denied.QuerySelector("select[name=decision] option[selected]")!.TextContent);
    }

    [Fact]
    public async Task Pages_of_fifty_keep_the_filters()
    {
        var user = Unique("paged");
        await SeedAsync(user, 53, DateTimeOffset.UtcNow.AddMinutes(-1));
        using var client = await server.RootAsync();

        var (_, first) = await client.PageAsync($"{DashboardRoutes.Audit}?principal={user}&since=2h");
        var older = first.QuerySelectorAll(".paging a").Single(a => a.TextContent == "Older entries").GetAttribute("href")!;
        var (_, second) = await client.PageAsync(older);

        Assert.Equal(50, Rows(first).Count);
        Assert.Equal($"{DashboardRoutes.Audit}?principal={user}&since=2h&skip=50", older);
        Assert.Equal([$"req-{user}-002", $"req-{user}-001", $"req-{user}-000"], Rows(second).Select(r => r[8]));
        Assert.Equal($"{DashboardRoutes.Audit}?principal={user}&since=2h", second.QuerySelectorAll(".paging a").Single(a => a.TextContent == "Newer entries").GetAttribute("href"));
    }

    [Fact]
    public async Task Another_accounts_entries_are_not_shown()
    {
        var user = Unique("foreign");
        await SeedAsync(user, 2, DateTimeOffset.UtcNow.AddMinutes(-1), account: "111111111111");
        using var client = await server.RootAsync();

        var (_, page) = await client.PageAsync($"{DashboardRoutes.Audit}?principal={user}");

        Assert.Empty(Rows(page));
    }

    [Fact]
    public async Task The_page_reads_with_LookupEvents_and_its_own_read_is_in_the_trail()
    {
        var user = await server.UserAsync(Unique("auditor"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"cloudtrail:LookupEvents","Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);

        var (first, _) = await client.PageAsync(DashboardRoutes.Audit);
        var (_, page) = await client.PageAsync($"{DashboardRoutes.Audit}?principal={Uri.EscapeDataString(user.Arn)}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var row = Rows(page).First(r => r[3] == "cloudtrail:LookupEvents");
        Assert.Equal(["Allow", user.Arn, "cloudtrail:LookupEvents", "*", $"console:GET {DashboardRoutes.Audit}"], row[1..6]);
    }

    [Fact]
    public async Task A_user_without_LookupEvents_sees_AccessDenied_and_the_statement_not_the_trail()
    {
        var secretUser = Unique("hidden");
        await SeedAsync(secretUser, 1, DateTimeOffset.UtcNow.AddMinutes(-1));
        var user = await server.UserAsync(Unique("curious"), """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ssm:*","Resource":"*"}]}""");
        using var client = await server.SessionForAsync(user);

        var page = await ProblemAssert.DeniedAsync(client, DashboardRoutes.Audit, user.Arn, "cloudtrail:LookupEvents", "*");
        Assert.Null(page.QuerySelector("table.audit"));
        Assert.DoesNotContain(secretUser, page.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("decision=Maybe", "InvalidLookupAttributesException", "Unknown decision 'Maybe': use Allow, Deny or None")]
    [InlineData("since=yesterday", "InvalidTimeRangeException", "Invalid since time 'yesterday': give a duration like 30m, 2h, 7d or an ISO 8601 time")]
    [InlineData("until=5x", "InvalidTimeRangeException", "Invalid until time '5x'")]
    [InlineData("since=1h&until=2h", "InvalidTimeRangeException", "The time range is empty: since (")]
    [InlineData("skip=-5", "InvalidLookupAttributesException", "Invalid page position: skip=-5. It is a number of entries from 0 to 100000")]
    public Task A_bad_filter_is_a_400_saying_what_is_allowed(string query, string code, string message) =>
        ProblemAssert.BadRequestAsync(server, $"{DashboardRoutes.Audit}?{query}", code, message);
}
