using System.Net;

namespace Cairn.Dashboard.Tests.Infrastructure;

/// <summary>The checks of a page that answers a problem: bad input (400, AWS's code, what is allowed), a denial (403, the text, the statement).</summary>
public static class ProblemAssert
{
    /// <summary>403 with AWS's AccessDenied text and the statement that would grant it; returns the page for what must be missing from it.</summary>
    public static async Task<AngleSharp.Html.Dom.IHtmlDocument> DeniedAsync(Browserless client, string path, string message, string statement)
    {
        var (response, page) = await client.PageAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(message, page.QuerySelector(".problem .message")?.TextContent.Trim());
        Assert.Equal(statement, page.QuerySelector("pre.statement")?.TextContent.Trim());
        return page;
    }

    public static async Task BadRequestAsync(DashboardServer server, string path, string code, string messageStart)
    {
        using var client = await server.RootAsync();

        var (response, page) = await client.PageAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, page.QuerySelector(".problem h2")?.TextContent.Trim());
        Assert.StartsWith(messageStart, page.QuerySelector(".problem .message")?.TextContent.Trim() ?? "", StringComparison.Ordinal);
    }
}
