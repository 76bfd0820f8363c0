using System.Net;

namespace Cairn.Dashboard.Tests.Infrastructure;

/// <summary>The checks of a page that answers a problem: bad input (400, AWS's code, what is allowed), a denial (403, the text, the statement).</summary>
public static class ProblemAssert
{
    /// <summary>
    /// 403 with AWS's AccessDenied text for an identity policy that does not allow <paramref name="action"/> on
    /// <paramref name="resource"/>, and the statement that would; returns the page for what must be missing from it.
    /// </summary>
    public static async Task<AngleSharp.Html.Dom.IHtmlDocument> DeniedAsync(Browserless client, string path, string principalArn, string action, string resource)
    {
        var (response, page) = await client.PageAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            $"User: {principalArn} is not authorized to perform: {action} on resource: {resource} because no identity-based policy allows the {action} action",
            page.QuerySelector(".problem .message")?.TextContent.Trim());
        Assert.Equal($"{{\n  \"Effect\": \"Allow\",\n  \"Action\": \"{action}\",\n  \"Resource\": \"{resource}\"\n}}", page.QuerySelector("pre.statement")?.TextContent.Trim());
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
